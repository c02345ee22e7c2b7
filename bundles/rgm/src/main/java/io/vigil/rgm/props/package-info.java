/**
 * Property schemas and their validation: {@link io.vigil.rgm.props.ResourceSchema} (a type's RTR
 * paramtable plus the standard resource properties) and {@link io.vigil.rgm.props.GroupSchema}
 * (resource-group properties). Both check names, types, limits and tunability, fill in defaults
 * and return {@link io.vigil.rgm.props.ResolvedProperties}, or refuse the whole call with one
 * {@link io.vigil.rgm.props.PropertyException}.
 */
package io.vigil.rgm.props;
