package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.PodSettings;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts the user's {@link PodSettings} on a pod template the operator built: extra labels and
 * annotations, pull secrets and placement. The operator's own labels win (the CRD already refuses a
 * user label with one of their keys); unset settings leave the template as it was.
 */
final class UserPodSettings {

    private UserPodSettings() {}

    static void apply(PodSettings settings, PodTemplateSpec template) {
        if (settings == null) {
            return;
        }
        if (settings.getLabels() != null) {
            Map<String, String> labels = new TreeMap<>(settings.getLabels());
            labels.putAll(template.getMetadata().getLabels());
            template.getMetadata().setLabels(labels);
        }
        if (settings.getAnnotations() != null) {
            template.getMetadata().setAnnotations(new TreeMap<>(settings.getAnnotations()));
        }
        var pod = template.getSpec();
        if (settings.getImagePullSecrets() != null) {
            pod.setImagePullSecrets(settings.getImagePullSecrets());
        }
        if (settings.getNodeSelector() != null) {
            pod.setNodeSelector(new TreeMap<>(settings.getNodeSelector()));
        }
        if (settings.getTolerations() != null) {
            pod.setTolerations(settings.getTolerations());
        }
        pod.setAffinity(settings.getAffinity());
    }
}
