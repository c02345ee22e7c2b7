package io.vigil.api.type;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names the RTR file of a Java resource type: put it on the {@link ResourceType} component.
 *
 * <pre>
 * &#64;Component(service = ResourceType.class)
 * &#64;ResourceTypeRtr("OSGI-INF/vigil/EXAMPLE.web.rtr")
 * public final class WebType implements ResourceType { ... }
 * </pre>
 *
 * <p>It sets the service property {@value ResourceType#RTR}. The value is a path inside the
 * component's bundle; the file there is the type's single schema: its name, version, methods and
 * properties, parsed exactly as a script type's RTR file is.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ResourceTypeRtr {

    /** Prefix that maps this annotation to the {@value ResourceType#RTR} property. */
    String PREFIX_ = "vigil.";

    /** @return path of the RTR file inside the bundle, e.g. {@code OSGI-INF/vigil/EXAMPLE.web.rtr} */
    String value();
}
