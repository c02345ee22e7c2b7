package io.vigil.testing;

import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.NodeReport;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ResourceTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resource group manager that supports nothing: every method throws
 * {@link UnsupportedOperationException} naming itself. A test's fake extends it and overrides what
 * the code under test uses, so that a call it did not expect fails loudly.
 */
public abstract class UnsupportedRgm implements ResourceGroupManager {

    private static UnsupportedOperationException unsupported(String method) {
        return new UnsupportedOperationException("this fake RGM does not support " + method);
    }

    @Override
    public List<GroupInfo> groups() {
        throw unsupported("groups");
    }

    @Override
    public Optional<GroupInfo> group(String name) {
        throw unsupported("group");
    }

    @Override
    public GroupInfo createGroup(String name, Map<String, String> properties) throws RgmException {
        throw unsupported("createGroup");
    }

    @Override
    public void deleteGroup(String name, boolean force) throws RgmException {
        throw unsupported("deleteGroup");
    }

    @Override
    public void manage(String name) throws RgmException {
        throw unsupported("manage");
    }

    @Override
    public void unmanage(String name) throws RgmException {
        throw unsupported("unmanage");
    }

    @Override
    public GroupInfo online(String name) throws RgmException {
        throw unsupported("online");
    }

    @Override
    public GroupInfo offline(String name) throws RgmException {
        throw unsupported("offline");
    }

    @Override
    public GroupInfo restart(String name) throws RgmException {
        throw unsupported("restart");
    }

    @Override
    public GroupInfo setGroup(String name, Map<String, String> changes) throws RgmException {
        throw unsupported("setGroup");
    }

    @Override
    public List<ResourceInfo> resources() {
        throw unsupported("resources");
    }

    @Override
    public Optional<ResourceInfo> resource(String name) {
        throw unsupported("resource");
    }

    @Override
    public ResourceInfo createResource(String name, String group, String type, Map<String, String> properties,
            boolean disabled) throws RgmException {
        throw unsupported("createResource");
    }

    @Override
    public void deleteResource(String name, boolean force) throws RgmException {
        throw unsupported("deleteResource");
    }

    @Override
    public ResourceInfo enable(String name) throws RgmException {
        throw unsupported("enable");
    }

    @Override
    public ResourceInfo disable(String name) throws RgmException {
        throw unsupported("disable");
    }

    @Override
    public ResourceInfo monitor(String name) throws RgmException {
        throw unsupported("monitor");
    }

    @Override
    public ResourceInfo unmonitor(String name) throws RgmException {
        throw unsupported("unmonitor");
    }

    @Override
    public ResourceInfo setResource(String name, Map<String, String> changes) throws RgmException {
        throw unsupported("setResource");
    }

    @Override
    public ResourceInfo clear(String name, String flag) throws RgmException {
        throw unsupported("clear");
    }

    @Override
    public ResourceInfo restartResource(String name) throws RgmException {
        throw unsupported("restartResource");
    }

    @Override
    public GroupInfo giveover(String group, String reason) throws RgmException {
        throw unsupported("giveover");
    }

    @Override
    public GroupLocation switchover(String group, String node) throws RgmException {
        throw unsupported("switchover");
    }

    @Override
    public List<GroupLocation> evacuate(String node) throws RgmException {
        throw unsupported("evacuate");
    }

    @Override
    public void reportNode(String node, boolean alive, String reason) throws RgmException {
        throw unsupported("reportNode");
    }

    @Override
    public List<NodeReport> nodeReports() {
        throw unsupported("nodeReports");
    }

    @Override
    public List<GroupLocation> locations() {
        throw unsupported("locations");
    }

    @Override
    public Optional<GroupLocation> location(String group) {
        throw unsupported("location");
    }

    @Override
    public void setStatus(String name, ResourceStatus status, String message) throws RgmException {
        throw unsupported("setStatus");
    }

    @Override
    public ResourceTypeInfo registerType(String rtrFile) throws RgmException {
        throw unsupported("registerType");
    }

    @Override
    public void unregisterType(String name) throws RgmException {
        throw unsupported("unregisterType");
    }
}
