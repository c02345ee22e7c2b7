package io.vigil.rgm.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.Method;
import io.vigil.rgm.exec.MethodCommand.PropertyValues;
import io.vigil.rgm.exec.MethodCommand.ValidateMode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MethodCommandTest {

    private static final Path PROG = Path.of("/opt/SUNWxfnts/bin/xfnts_svc");

    static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static PropertyValues sample() {
        return new PropertyValues(
                ordered("Start_timeout", "300", "Port_list", "7100/tcp,7101/tcp", "R_description", "font server"),
                ordered("Confdir_list", "/global/xfs conf", "Options", "a=b c=d"),
                ordered("Nodelist", "n1,n2", "Pingpong_interval", "3600"));
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = "VALIDATE", mode = EnumSource.Mode.EXCLUDE)
    void everyMethodButValidateGetsResourceTypeAndGroup(Method m) {
        MethodCommand c = MethodCommand.call(PROG, m, "xfnts-rs", "SUNW.xfnts", "xfnts-rg", sample());
        assertEquals(List.of(PROG.toString(), "-R", "xfnts-rs", "-T", "SUNW.xfnts", "-G", "xfnts-rg"), c.argv());
        assertEquals(m, c.method());
        assertTrue(c.validateMode().isEmpty());
        assertEquals(m.rtrName(), c.environment().get("VIGIL_METHOD"));
    }

    @Test
    void validateCannotBeBuiltAsAPlainCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodCommand.call(PROG, Method.VALIDATE, "r", "t", "g", PropertyValues.empty()));
        assertTrue(e.getMessage().contains("validateCreate or validateUpdate"), e.getMessage());
    }

    @Test
    void validateCreatePassesEveryPropertyInOrder() {
        MethodCommand c = MethodCommand.validateCreate(PROG, "xfnts-rs", "SUNW.xfnts", "xfnts-rg", sample());
        assertEquals(List.of(PROG.toString(), "-c", "-R", "xfnts-rs", "-T", "SUNW.xfnts", "-G", "xfnts-rg",
                "-r", "Start_timeout=300", "-r", "Port_list=7100/tcp,7101/tcp", "-r", "R_description=font server",
                "-x", "Confdir_list=/global/xfs conf", "-x", "Options=a=b c=d",
                "-g", "Nodelist=n1,n2", "-g", "Pingpong_interval=3600"), c.argv());
        assertEquals(ValidateMode.CREATE, c.validateMode().orElseThrow());
        assertEquals("Validate", c.environment().get("VIGIL_METHOD"));
    }

    @Test
    void validateUpdatePassesOnlyTheChangedPropertiesButTheEnvironmentHasAll() {
        PropertyValues changed = new PropertyValues(ordered("Start_timeout", "600"),
                ordered("Options", "x = y"), Map.of());
        MethodCommand c = MethodCommand.validateUpdate(PROG, "xfnts-rs", "SUNW.xfnts", "xfnts-rg", sample(), changed);
        assertEquals(List.of(PROG.toString(), "-u", "-R", "xfnts-rs", "-T", "SUNW.xfnts", "-G", "xfnts-rg",
                "-r", "Start_timeout=600", "-x", "Options=x = y"), c.argv());
        Map<String, String> env = c.environment();
        assertEquals("600", env.get("VIGIL_R_START_TIMEOUT"));
        assertEquals("x = y", env.get("VIGIL_X_OPTIONS"));
        assertEquals("7100/tcp,7101/tcp", env.get("VIGIL_R_PORT_LIST"));
        assertEquals("/global/xfs conf", env.get("VIGIL_X_CONFDIR_LIST"));
        assertEquals("3600", env.get("VIGIL_G_PINGPONG_INTERVAL"));
    }

    @Test
    void environmentIsTheBaseNamesAndPropertiesOnly() {
        MethodCommand c = MethodCommand.call(PROG, Method.MONITOR_START, "xfnts-rs", "SUNW.xfnts", "xfnts-rg",
                sample());
        Map<String, String> expected = ordered("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C",
                "VIGIL_RESOURCE", "xfnts-rs", "VIGIL_TYPE", "SUNW.xfnts", "VIGIL_GROUP", "xfnts-rg",
                "VIGIL_METHOD", "Monitor_start",
                "VIGIL_R_START_TIMEOUT", "300", "VIGIL_R_PORT_LIST", "7100/tcp,7101/tcp",
                "VIGIL_R_R_DESCRIPTION", "font server",
                "VIGIL_X_CONFDIR_LIST", "/global/xfs conf", "VIGIL_X_OPTIONS", "a=b c=d",
                "VIGIL_G_NODELIST", "n1,n2", "VIGIL_G_PINGPONG_INTERVAL", "3600");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(c.environment().entrySet()));
        assertFalse(c.environment().containsKey("HOME"));
    }

    @Test
    void environmentNamesAreUpperCaseAndSanitized() {
        assertEquals("VIGIL_X_CONFDIR_LIST", MethodCommand.environmentName("VIGIL_X_", "Confdir-list"));
        assertEquals("VIGIL_R_A_B_C_9", MethodCommand.environmentName("VIGIL_R_", "a.b c\u00e99"));
        assertEquals("VIGIL_G_RG_MODE", MethodCommand.environmentName("VIGIL_G_", "RG_mode"));
    }

    @Test
    void collidingEnvironmentNamesKeepTheFirst() {
        PropertyValues v = new PropertyValues(Map.of(), ordered("log-dir", "/a", "log.dir", "/b"), Map.of());
        MethodCommand c = MethodCommand.call(PROG, Method.START, "r", "t", "g", v);
        assertEquals("/a", c.environment().get("VIGIL_X_LOG_DIR"));
    }

    @Test
    void refusesNamesThatCannotBePassed() {
        assertThrows(IllegalArgumentException.class,
                () -> new PropertyValues(ordered("a=b", "1"), Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new PropertyValues(Map.of(), ordered("", "1"), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new PropertyValues(Map.of(), Map.of(), ordered("x", "nul\0")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodCommand.call(PROG, Method.START, "", "t", "g", PropertyValues.empty()));
        assertEquals("bad resource name \"\"; expected a non-empty name without NUL", e.getMessage());
    }
}
