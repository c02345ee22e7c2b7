/**
 * Resource types: the contract between Vigil's resource group manager (RGM) and the code that
 * starts, stops and checks one kind of service.
 *
 * <p>A resource type is described by an RTR file (Sun Cluster "Resource Type Registration"
 * grammar): its name, version, callback methods and property schema. A <em>script type</em>
 * names programs for its methods; a <em>Java type</em> is a Declarative Services component
 * implementing {@link io.vigil.api.type.ResourceType} whose bundle ships the RTR text and names
 * it with {@link io.vigil.api.type.ResourceTypeRtr}. Both are registered the same way and obey
 * the same method contract: a method succeeds or fails, within its own timeout, and may set the
 * resource's Status and Status_msg.
 *
 * <p>The RGM shows registered types through {@link io.vigil.api.type.ResourceTypeRegistry}.
 */
@Export
@Version("1.1.0")
package io.vigil.api.type;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
