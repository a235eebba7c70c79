package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

public class HealthCheckSpec {

    /** Path characters HAProxy's config and an HTTP request line both take literally. */
    public static final String PATH_PATTERN = "^/[A-Za-z0-9._~%!*+,;=:@/?&-]*$";

    @Default("/healthz")
    @Size(max = 256)
    @Pattern(PATH_PATTERN)
    @JsonPropertyDescription("Path requested with GET; a 2xx or 3xx answer means healthy. Must start with '/' and use "
            + "only unreserved URI characters and % ! * + , ; = : @ / ? & -.")
    private String path = "/healthz";

    @Min(100)
    @Max(60000)
    @Default("1000")
    @JsonPropertyDescription("Milliseconds between two checks. HAProxy checks at this interval; the readiness probe at "
            + "the same interval rounded up to whole seconds.")
    private int intervalMillis = 1000;

    @Min(10)
    @Max(60000)
    @Default("250")
    @JsonPropertyDescription("Milliseconds HAProxy's check waits for the answer; a pod that accepts the connection but "
            + "does not answer in time fails the check. After a failed check the next ones come every "
            + "min(intervalMillis, 100) ms until the pod is up or out, so a hung pod is out within about "
            + "intervalMillis + fall × timeoutMillis + (fall - 1) × 100 ms.")
    private int timeoutMillis = 250;

    @Min(1)
    @Max(10)
    @Default("2")
    @JsonPropertyDescription("Consecutive failed checks after which a pod is taken out of service.")
    private int fall = 2;

    @Min(1)
    @Max(10)
    @Default("2")
    @JsonPropertyDescription("Consecutive successful checks after which a pod is put back into service.")
    private int rise = 2;

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public int getIntervalMillis() {
        return intervalMillis;
    }

    public void setIntervalMillis(int intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    public int getTimeoutMillis() {
        return timeoutMillis;
    }

    public void setTimeoutMillis(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    public int getFall() {
        return fall;
    }

    public void setFall(int fall) {
        this.fall = fall;
    }

    public int getRise() {
        return rise;
    }

    public void setRise(int rise) {
        this.rise = rise;
    }
}
