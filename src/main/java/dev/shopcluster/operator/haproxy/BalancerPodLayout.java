package dev.shopcluster.operator.haproxy;

/**
 * Where things are in a balancer pod: containers, ports, directories, files and the user HAProxy runs
 * as. The renderer writes these paths into haproxy.cfg, the balancer Deployment mounts and passes them,
 * and the reload sidecar and the data-plane tests find the same files by them.
 */
public final class BalancerPodLayout {

    public static final String HAPROXY_CONTAINER = "haproxy";
    public static final String RELOAD_CONTAINER = "reload";

    /** Ports above 1024 so HAProxy runs without privileges. */
    public static final int HTTP_PORT = 8080;

    public static final String HTTP_PORT_NAME = "http";
    /** The health endpoint's and Prometheus exporter's port. */
    public static final int MONITOR_PORT = 8405;

    public static final String MONITOR_PORT_NAME = "monitor";
    /** Readiness: answers 200 only while the shop backend has a server to send requests to. */
    public static final String HEALTH_PATH = "/healthz";
    /** Liveness: answers 200 while HAProxy runs, whatever the shops' state. */
    public static final String LIVENESS_PATH = "/livez";

    public static final String METRICS_PATH = "/metrics";
    /**
     * Answers with the hash of the config the answering worker runs: a config is delivered once a new
     * connection to every ready balancer pod gets its hash back.
     */
    public static final String CONFIG_HASH_PATH = "/config-hash";

    /** The official image's haproxy user. */
    public static final long HAPROXY_UID = 99;

    /** Where the balancer ConfigMap is mounted, read-only. */
    public static final String CONFIG_DIR = "/usr/local/etc/haproxy";
    /** The ConfigMap key, and so the file name, of the rendered config. */
    public static final String CONFIG_FILE_NAME = "haproxy.cfg";

    public static final String CONFIG_FILE = CONFIG_DIR + "/" + CONFIG_FILE_NAME;

    /** An emptyDir shared by HAProxy and the reload sidecar. */
    public static final String RUNTIME_DIR = "/var/run/haproxy";
    /** File names in the runtime directory. */
    public static final String ADMIN_SOCKET = "admin.sock";

    public static final String SERVER_STATE_FILE = "servers.state";
    public static final String PID_FILE_NAME = "haproxy.pid";
    public static final String PID_FILE = RUNTIME_DIR + "/" + PID_FILE_NAME;

    private BalancerPodLayout() {}

    /** A file in the pod's runtime directory. */
    public static String runtimeFile(String name) {
        return RUNTIME_DIR + "/" + name;
    }
}
