package dev.shopcluster.operator.resources;

import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/** Security settings of containers. */
public final class ContainerSecurity {

    private ContainerSecurity() {}

    /**
     * What Pod Security "restricted" asks of a container (no privilege escalation, no capabilities), and a
     * read-only root filesystem.
     */
    public static SecurityContext restrictedReadOnly() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .build();
    }
}
