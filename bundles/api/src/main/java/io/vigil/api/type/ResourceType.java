package io.vigil.api.type;

/**
 * A Java resource type: the code behind one kind of service.
 *
 * <p>Register an implementation as an OSGi service (normally a Declarative Services component)
 * with the service property {@value #RTR} naming the RTR file inside the same bundle, most simply
 * through {@link ResourceTypeRtr}. The RGM tracks these services dynamically: installing the
 * bundle registers the type, stopping or uninstalling it removes the type. A service without the
 * property, or whose RTR file is missing or invalid, is not registered; the reason is logged.
 *
 * <p>The RGM calls {@link #call} only for methods the RTR file declares, one at a time per
 * resource group, each under its own timeout. Calls for different groups may be concurrent, so an
 * implementation must be thread-safe. Resource state lives in the RGM, not in the implementation.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface ResourceType {

    /**
     * Service property: path, inside the registering bundle, of the type's RTR file. Required.
     * The file's {@code Vendor_id.Resource_type} is the type's name and {@code RT_version} its
     * version; its method entries say which {@link Method}s the type implements (for a Java type
     * their values are descriptive only).
     */
    String RTR = "vigil.resource.type.rtr";

    /**
     * Runs one callback method.
     *
     * @param method the method to run; always one the RTR file declares
     * @param context the call's resource, group, properties and deadline
     * @return success, or failure with its reason
     * @throws Exception any failure; treated as {@link MethodResult#failure(String)} with the
     *         exception as the reason
     */
    MethodResult call(Method method, MethodContext context) throws Exception;
}
