package io.vigil.shell.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.NodeState;
import io.vigil.shell.ClrgCommand;
import io.vigil.shell.ClusterCommand;
import io.vigil.shell.FakeRgm;
import io.vigil.testing.FakeMembership;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster commands as {@code bin/vigil} runs them: registered in a real Gogo command processor
 * under their {@code osgi.command} scope and function, run by the admin socket's runner, with
 * the output and exit status the client prints and exits with.
 */
class GogoCommandRunnerTest {

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private GogoCommandRunner runner;

    @BeforeEach
    void start() {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        FakeRgm rgm = new FakeRgm("n1", "n2").add("rg1", "n1").add("rg2", "n1");
        FakeMembership members = new FakeMembership("n1").coordinator("n1", 3).members(
                new ClusterNode("n1", List.of(), NodeState.UP, 0), new ClusterNode("n2", List.of(), NodeState.UP, 0));
        processor.addCommand("vigil", new ClusterCommand(members, rgm), "cluster");
        processor.addCommand("vigil", new ClrgCommand(rgm), "clrg");
        runner = new GogoCommandRunner(processor);
    }

    @AfterEach
    void stop() {
        processor.stop();
        threadIO.stop();
    }

    @Test
    void clusterStatusAndNodesRunThroughGogo() {
        AdminProtocol.Response status = runner.run("cluster status");
        assertEquals(AdminProtocol.OK, status.status(), status.output());
        assertEquals("Node:         n1\nState:        UP\nCoordinator:  n1 (epoch 3, this node)\nMembers:      2\n",
                status.output().substring(0, status.output().indexOf("Groups:")));
        AdminProtocol.Response nodes = runner.run("cluster nodes");
        assertEquals(AdminProtocol.OK, nodes.status(), nodes.output());
        assertEquals(3, nodes.output().lines().count(), nodes.output());
    }

    @Test
    void switchThroughGogoMovesTheGroupsInOrder() {
        AdminProtocol.Response r = runner.run("clrg switch -n n2 rg2 rg1");
        assertEquals(AdminProtocol.OK, r.status(), r.output());
        assertEquals("Resource group rg2 switched to n2: ONLINE on n2\nResource group rg1 switched to n2: ONLINE on n2\n",
                r.output());
        AdminProtocol.Response evacuated = runner.run("clrg evacuate -n n2");
        assertEquals("Resource group rg1 evacuated from n2: ONLINE on n1\nResource group rg2 evacuated from n2: ONLINE on n1\n",
                evacuated.output());
    }

    @Test
    void aRefusedSwitchIsOneErrorLineAndStatusOne() {
        AdminProtocol.Response r = runner.run("clrg switch -n n9 rg1");
        assertEquals(AdminProtocol.FAILED, r.status());
        assertEquals("Error: resource group rg1 was not switched to n9: node n9 is not a live member of the cluster; "
                + "members: [n1, n2]\n", r.output());
        AdminProtocol.Response evacuate = runner.run("clrg evacuate -n n9");
        assertEquals(AdminProtocol.FAILED, evacuate.status());
        assertEquals("Error: node n9 is not a live member of the cluster; members: [n1, n2]\n", evacuate.output());
    }

    @Test
    void badUsageIsStatusTwoWithTheUsage() {
        AdminProtocol.Response r = runner.run("clrg switch rg1");
        assertEquals(AdminProtocol.USAGE, r.status());
        assertEquals("Error: the node to switch to (-n) is required; usage: clrg switch -n <node> <group>...\n", r.output());
        assertEquals(AdminProtocol.USAGE, runner.run("clrg evacuate").status());
        assertEquals(AdminProtocol.USAGE, runner.run("cluster").status());
    }

    @Test
    void withoutMembershipClusterFailsWithTheReason() {
        processor.removeCommand("vigil", "cluster");
        processor.addCommand("vigil", new ClusterCommand(null, null), "cluster");
        AdminProtocol.Response r = runner.run("cluster nodes");
        assertEquals(AdminProtocol.FAILED, r.status(), r.output());
        assertEquals(1, r.output().lines().count(), r.output());
        assertTrue(r.output().startsWith("Error: no cluster membership is available: "), r.output());
    }
}
