package io.vigil.api.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void namesAndNumbersAsKillListsThem() {
        assertEquals(Optional.of("KILL"), Signals.name(9));
        assertEquals(Optional.of("TERM"), Signals.name(15));
        assertEquals(Optional.of("SYS"), Signals.name(31));
        assertEquals(Optional.of("RTMIN"), Signals.name(34));
        assertEquals(Optional.of("RTMIN+2"), Signals.name(36));
        assertEquals(Optional.of("RTMAX"), Signals.name(64));
        assertEquals(Optional.empty(), Signals.name(32));
        assertEquals(Optional.empty(), Signals.name(0));
        assertEquals(Optional.empty(), Signals.name(65));
        for (int i = 1; i <= Signals.MAX; i++) {
            int n = i;
            Signals.name(i).ifPresent(name -> assertEquals(OptionalInt.of(n), Signals.number(name), name));
        }
    }

    @Test
    void namesAreReadWithOrWithoutSigInAnyCase() {
        assertEquals(OptionalInt.of(15), Signals.number("TERM"));
        assertEquals(OptionalInt.of(15), Signals.number("SIGterm"));
        assertEquals(OptionalInt.of(1), Signals.number(" hup "));
        assertEquals(OptionalInt.of(36), Signals.number("SIGRTMIN+2"));
        assertEquals(OptionalInt.empty(), Signals.number("FOO"));
        assertEquals(OptionalInt.empty(), Signals.number("15"));
        assertEquals(OptionalInt.empty(), Signals.number(""));
    }
}
