package io.vigil.api.probe;

import io.vigil.api.type.PropertyValues;
import java.time.Duration;

/**
 * What a probe knows about the resource it checks. Provided by the fault monitor (issue #4) for
 * each run; valid only during that run.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ProbeContext {

    /** @return the resource's name */
    String resourceName();

    /** @return the resource group's name */
    String resourceGroupName();

    /** @return the resource's properties (for instance {@code Port_list}) */
    PropertyValues properties();

    /** @return time left before {@code Probe_timeout} runs out; never negative */
    Duration timeLeft();
}
