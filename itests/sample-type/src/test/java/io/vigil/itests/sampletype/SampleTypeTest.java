package io.vigil.itests.sampletype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.Method;
import io.vigil.api.type.MethodContext;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ValidateMode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sample type through the API alone, as the RGM will call it. */
class SampleTypeTest {

    private ResourceStatus status;
    private String statusMessage;

    private MethodContext context(Method method, String greeting) {
        return new MethodContext() {
            @Override public Method method() { return method; }
            @Override public String resourceName() { return "r1"; }
            @Override public String resourceTypeName() { return "VIGIL.sample"; }
            @Override public String resourceGroupName() { return "g1"; }
            @Override public PropertyValues properties() { return PropertyValues.of(Map.of("Greeting", greeting)); }
            @Override public PropertyValues groupProperties() { return PropertyValues.empty(); }
            @Override public Optional<ValidateMode> validateMode() {
                return method == Method.VALIDATE ? Optional.of(ValidateMode.CREATE) : Optional.empty();
            }
            @Override public Set<String> changedProperties() { return Set.of(); }
            @Override public Duration timeLeft() { return Duration.ofSeconds(60); }
            @Override public void setStatus(ResourceStatus s, String message) {
                status = s;
                statusMessage = message;
            }
        };
    }

    @Test
    void startSetsStatusFromTheGreeting() {
        assertTrue(new SampleType().call(Method.START, context(Method.START, "hi")).isSuccess());
        assertEquals(ResourceStatus.OK, status);
        assertEquals("hi", statusMessage);
    }

    @Test
    void validateVetoesABlankGreeting() {
        assertFalse(new SampleType().call(Method.VALIDATE, context(Method.VALIDATE, " ")).isSuccess());
        assertTrue(new SampleType().call(Method.VALIDATE, context(Method.VALIDATE, "hi")).isSuccess());
    }

    @Test
    void undeclaredMethodsFail() {
        assertEquals("Update is not declared by VIGIL.sample",
                new SampleType().call(Method.UPDATE, context(Method.UPDATE, "hi")).message());
    }
}
