package io.vigil.api.type;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What a Java type's callback method knows about its call: the same facts a script type's
 * program receives as {@code -R resource -T type -G group}, its property arguments and its
 * environment.
 *
 * <p>Provided by the RGM (from issue #3 on) for each call; valid only during that call.
 */
@org.osgi.annotation.versioning.ProviderType
public interface MethodContext {

    /** @return the method being called */
    Method method();

    /** @return the resource's name ({@code -R}) */
    String resourceName();

    /** @return the resource type's full name, {@code Vendor_id.Resource_type} ({@code -T}) */
    String resourceTypeName();

    /** @return the resource group's name ({@code -G}) */
    String resourceGroupName();

    /**
     * The resource's properties, standard and extension. During {@link Method#VALIDATE} these are
     * the proposed values, with any change already applied.
     *
     * @return the resource's property values
     */
    PropertyValues properties();

    /** @return the resource group's properties (proposed values during VALIDATE) */
    PropertyValues groupProperties();

    /**
     * During {@link Method#VALIDATE}, why it is called.
     *
     * @return {@code CREATE} ({@code -c}) or {@code UPDATE} ({@code -u}); empty for other methods
     */
    Optional<ValidateMode> validateMode();

    /**
     * During an update's {@link Method#VALIDATE} and {@link Method#UPDATE}, the names of the
     * properties being changed (what a script type receives as {@code -r}, {@code -x} and
     * {@code -g} options with {@code -u}).
     *
     * @return the changed names; during creation every property; otherwise empty
     */
    Set<String> changedProperties();

    /**
     * Time left before this call's timeout ({@code <Method>_timeout}). When it runs out the RGM
     * treats the call as failed, whatever it later returns; a method should pass what is left to
     * anything it waits for.
     *
     * @return the time left, never negative
     */
    Duration timeLeft();

    /**
     * Sets the resource's {@code Status} and {@code Status_msg}, as
     * {@code scha_resource_setstatus} does for script types.
     *
     * @param status the new status
     * @param message the new status message; may be empty
     */
    void setStatus(ResourceStatus status, String message);
}
