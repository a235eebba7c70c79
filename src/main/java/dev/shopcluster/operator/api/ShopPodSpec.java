package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;

/**
 * What a shop's pods need beyond the image: configuration, secrets, storage, identity, placement,
 * probes and shutdown. The image, port, readiness probe (healthCheck), selector labels and the
 * restricted security context stay the operator's: they have no field here. What Kubernetes checks
 * beyond this schema (env names, a mount naming a missing volume, ...) it refuses on the Deployment, and
 * the operator reports that as InvalidSpec. (A CEL rule matching mounts to volumes would exceed the API
 * server's cost budget: the embedded types' names have no length bound.)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ShopPodSpec extends PodSettings {

    /** The volume types Pod Security "restricted" admits. */
    static final String RESTRICTED_VOLUMES_RULE = "self.all(v, has(v.configMap) || has(v.secret) || has(v.emptyDir) "
            + "|| has(v.projected) || has(v.downwardAPI) || has(v.persistentVolumeClaim) || has(v.ephemeral) "
            + "|| has(v.csi))";

    @Size(max = 128)
    @JsonPropertyDescription("Environment variables of the shop container, as container.env: a value, or valueFrom a "
            + "Secret, ConfigMap or field (kubectl explain pod.spec.containers.env).")
    private List<EnvVar> env;

    @Size(max = 32)
    @JsonPropertyDescription("Secrets and ConfigMaps whose keys become environment variables of the shop container, as "
            + "container.envFrom.")
    private List<EnvFromSource> envFrom;

    @Size(max = 32)
    @ValidationRule(
            value = RESTRICTED_VOLUMES_RULE,
            message =
                    "volumes may only be configMap, secret, emptyDir, "
                            + "projected, downwardAPI, persistentVolumeClaim, ephemeral or csi: the types Pod Security restricted admits")
    @JsonPropertyDescription("Volumes of the shop pods, as pod.spec.volumes; mount them with volumeMounts. Only the "
            + "types Pod Security \"restricted\" admits (no hostPath).")
    private List<Volume> volumes;

    @Size(max = 32)
    @JsonPropertyDescription("Where the shop container mounts volumes[], as container.volumeMounts.")
    private List<VolumeMount> volumeMounts;

    @Size(max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @JsonPropertyDescription("ServiceAccount the shop pods run as. Unset: the namespace's default.")
    private String serviceAccountName;

    @Min(0)
    @ValidationRule(value = "self != 0", message = "runAsUser must not be 0 (root): shop pods run as non-root")
    @JsonPropertyDescription("Numeric user the shop container runs as. Needed when the image's USER is a name, not a "
            + "number: runAsNonRoot cannot verify a named user. Unset: the image's USER.")
    private Long runAsUser;

    @Min(0)
    @JsonPropertyDescription("Group that owns mounted volumes and is added to the shop container's groups "
            + "(pod.spec.securityContext.fsGroup).")
    private Long fsGroup;

    @Size(max = 8)
    @JsonPropertyDescription("Extra topology spread constraints. The operator spreads each pool or slot over nodes "
            + "(and zones for ActiveActive) with ScheduleAnyway; a constraint here on the same topologyKey replaces the "
            + "operator's. An empty labelSelector selects the pool's or slot's pods. As "
            + "pod.spec.topologySpreadConstraints.")
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription(
            "Liveness probe of the shop container, as container.livenessProbe: the kubelet restarts it "
                    + "when this fails. Unset: none. Readiness comes from healthCheck.")
    private Probe livenessProbe;

    @JsonPropertyDescription("Startup probe of the shop container, as container.startupProbe: liveness and readiness "
            + "wait until it succeeds, for shops that start slowly. Unset: none.")
    private Probe startupProbe;

    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Seconds the shop gets to stop after SIGTERM (and preStop) before it is killed. Unset: "
            + "Kubernetes' default, 30.")
    private Long terminationGracePeriodSeconds;

    @JsonPropertyDescription("Handler run before the shop container gets SIGTERM (container.lifecycle.preStop), to "
            + "drain: the balancer keeps sending to a terminating pod until DNS and its health check drop it. For "
            + "example {sleep: {seconds: 10}} (Kubernetes 1.30+) or {exec: {command: [sleep, \"10\"]}}.")
    private LifecycleHandler preStop;

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public List<EnvFromSource> getEnvFrom() {
        return envFrom;
    }

    public void setEnvFrom(List<EnvFromSource> envFrom) {
        this.envFrom = envFrom;
    }

    public List<Volume> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<Volume> volumes) {
        this.volumes = volumes;
    }

    public List<VolumeMount> getVolumeMounts() {
        return volumeMounts;
    }

    public void setVolumeMounts(List<VolumeMount> volumeMounts) {
        this.volumeMounts = volumeMounts;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public Long getRunAsUser() {
        return runAsUser;
    }

    public void setRunAsUser(Long runAsUser) {
        this.runAsUser = runAsUser;
    }

    public Long getFsGroup() {
        return fsGroup;
    }

    public void setFsGroup(Long fsGroup) {
        this.fsGroup = fsGroup;
    }

    public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
        return topologySpreadConstraints;
    }

    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
        this.topologySpreadConstraints = topologySpreadConstraints;
    }

    public Probe getLivenessProbe() {
        return livenessProbe;
    }

    public void setLivenessProbe(Probe livenessProbe) {
        this.livenessProbe = livenessProbe;
    }

    public Probe getStartupProbe() {
        return startupProbe;
    }

    public void setStartupProbe(Probe startupProbe) {
        this.startupProbe = startupProbe;
    }

    public Long getTerminationGracePeriodSeconds() {
        return terminationGracePeriodSeconds;
    }

    public void setTerminationGracePeriodSeconds(Long terminationGracePeriodSeconds) {
        this.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
    }

    public LifecycleHandler getPreStop() {
        return preStop;
    }

    public void setPreStop(LifecycleHandler preStop) {
        this.preStop = preStop;
    }
}
