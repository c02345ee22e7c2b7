package io.vigil.shell.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminProtocolTest {

    @Test
    void requestRoundTrips() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AdminProtocol.writeRequest(out, "clrt show SUNW.xfnts");
        assertEquals("clrt show SUNW.xfnts", AdminProtocol.readRequest(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void responseRoundTripsAndDropsNulFromOutput() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AdminProtocol.writeResponse(out, new AdminProtocol.Response("a\0b\nline 2\n", 7));
        AdminProtocol.Response r = AdminProtocol.readResponse(new ByteArrayInputStream(out.toByteArray()));
        assertEquals("ab\nline 2\n", r.output());
        assertEquals(7, r.status());
    }

    @Test
    void malformedRequestsAreRejectedWithTheReason() {
        IOException e = assertThrows(IOException.class, () -> AdminProtocol.readRequest(stream("no newline")));
        assertTrue(e.getMessage().contains("ended before its newline"), e.getMessage());
        e = assertThrows(IOException.class, () -> AdminProtocol.readRequest(stream("a\0b\n")));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
        String huge = "x".repeat(AdminProtocol.MAX_REQUEST + 1) + "\n";
        e = assertThrows(IOException.class, () -> AdminProtocol.readRequest(stream(huge)));
        assertTrue(e.getMessage().contains("longer than 65536 bytes"), e.getMessage());
    }

    @Test
    void responseWithoutTrailerIsAnError() {
        IOException e = assertThrows(IOException.class, () -> AdminProtocol.readResponse(stream("partial output")));
        assertTrue(e.getMessage().contains("without an exit status"), e.getMessage());
    }

    @Test
    void argumentsThatNeedQuotingAreQuoted() {
        assertEquals("clrt show SUNW.xfnts", AdminProtocol.commandLine(List.of("clrt", "show", "SUNW.xfnts")));
        assertEquals("echo 'a b' 'it\\'s' '$x'", AdminProtocol.commandLine(List.of("echo", "a b", "it's", "$x")));
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
