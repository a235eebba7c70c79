package dev.shopcluster.operator.haproxy;

/** A value that would change the structure of haproxy.cfg; the CRD should have refused it. */
public class InvalidBalancerInputException extends IllegalArgumentException {

    public InvalidBalancerInputException(String message) {
        super(message);
    }
}
