package io.vigil.itests.sampletype;

import io.vigil.api.type.Method;
import io.vigil.api.type.MethodContext;
import io.vigil.api.type.MethodResult;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ResourceType;
import io.vigil.api.type.ResourceTypeRtr;
import org.osgi.service.component.annotations.Component;

/**
 * VIGIL.sample: a resource type with nothing behind it, written as a third party writes one.
 * Start and Stop only set the status; Validate refuses an empty Greeting.
 */
@Component(service = ResourceType.class)
@ResourceTypeRtr("OSGI-INF/vigil/VIGIL.sample.rtr")
public final class SampleType implements ResourceType {

    @Override
    public MethodResult call(Method method, MethodContext context) {
        switch (method) {
            case START:
                context.setStatus(ResourceStatus.OK, context.properties().getString("Greeting"));
                return MethodResult.success();
            case STOP:
                context.setStatus(ResourceStatus.OFFLINE, "");
                return MethodResult.success();
            case VALIDATE:
                return context.properties().getString("Greeting").isBlank()
                        ? MethodResult.failure("Greeting must not be blank")
                        : MethodResult.success();
            default:
                return MethodResult.failure(method.rtrName() + " is not declared by VIGIL.sample");
        }
    }
}
