package io.vigil.api.probe;

/**
 * One kind of health check, registered as a service with the {@value #NAME} property.
 *
 * <p>The fault monitor (issue #4) runs a resource's probe every {@code Thorough_probe_interval}
 * seconds under {@code Probe_timeout}. A probe that overruns its timeout or throws scores a
 * complete failure; the message says which. Probes may be called concurrently for different
 * resources and must be thread-safe.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Probe {

    /**
     * Service property: the probe's name, by which resource types choose it, e.g. {@code tcp}.
     * Required; letters, digits, {@code _}, {@code -} and {@code .} only.
     */
    String NAME = "vigil.probe.name";

    /**
     * Checks the resource once.
     *
     * @param context the resource, its properties and the time left
     * @return the failure score and a message
     * @throws Exception when the check itself cannot run; scored as a complete failure
     */
    ProbeResult probe(ProbeContext context) throws Exception;
}
