package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * Pod settings the shop pods and the balancer pods both take. Explicit fields rather than a pod template:
 * the operator owns the rest of the pod (image, ports, probes, selector labels, security context), so
 * only what a user may set is in the schema, each field with Kubernetes' own type and checks.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PodSettings {

    /** Label keys the operator selects and identifies its pods by. */
    static final String RESERVED_LABELS_RULE =
            "self.all(k, !(k in ['app.kubernetes.io/name', 'app.kubernetes.io/instance', "
                    + "'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of']) "
                    + "&& !k.startsWith('shopcluster.dev/'))";

    @JsonPropertyDescription("Requests and limits of the main container, as container.resources. Set limits where a "
            + "ResourceQuota or LimitRange requires them.")
    private ResourceRequirements resources;

    @Size(max = 16)
    @JsonPropertyDescription(
            "Secrets in the ShopCluster's namespace used to pull the image from a private registry, as "
                    + "pod.spec.imagePullSecrets.")
    private List<LocalObjectReference> imagePullSecrets;

    @Size(max = 32)
    @JsonPropertyDescription("Node labels the pods require, as pod.spec.nodeSelector.")
    private Map<String, String> nodeSelector;

    @Size(max = 32)
    @JsonPropertyDescription(
            "Taints the pods tolerate, as pod.spec.tolerations (kubectl explain pod.spec.tolerations).")
    private List<Toleration> tolerations;

    @JsonPropertyDescription(
            "Node and pod affinity of the pods, as pod.spec.affinity (kubectl explain pod.spec.affinity).")
    private Affinity affinity;

    @Size(max = 32)
    @ValidationRule(
            value = RESERVED_LABELS_RULE,
            message =
                    "labels must not set app.kubernetes.io/name, instance, "
                            + "component, managed-by, part-of or any shopcluster.dev/ key: the operator selects its pods by them")
    @JsonPropertyDescription("Extra labels on the pods. The app.kubernetes.io/{name,instance,component,managed-by,"
            + "part-of} and shopcluster.dev/ labels are the operator's.")
    private Map<String, String> labels;

    @Size(max = 32)
    @JsonPropertyDescription("Extra annotations on the pods, for example for a service mesh or a log collector. "
            + "Changing them rolls the pods.")
    private Map<String, String> annotations;

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }
}
