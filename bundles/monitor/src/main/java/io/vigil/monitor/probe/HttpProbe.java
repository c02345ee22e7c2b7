package io.vigil.monitor.probe;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code http} probe: one GET, healthy when the status is in the expected range and, if asked
 * for, the body matches a regular expression.
 *
 * <p>Extension properties of the resource:
 * <ul>
 * <li>{@code Probe_url}: the URL ({@code http} or {@code https}). Without it:
 *     {@code http://<host>:<port>/}, where the port is the first {@code tcp} entry of
 *     {@code Port_list} and the host is {@code Probe_host}, else {@code 127.0.0.1}.</li>
 * <li>{@code Probe_http_status}: accepted status codes, codes and ranges separated by commas;
 *     default {@value #DEFAULT_STATUS}. Redirects are not followed.</li>
 * <li>{@code Probe_http_body}: a regular expression (Java syntax) that must be found in the first
 *     {@value #BODY_LIMIT} bytes of the body; without it the body is not read.</li>
 * </ul>
 * The whole exchange (connect, request, response, body) may use 95% of the time left. No proxy
 * is used. Every failure, a timeout included, scores 100; no time left at all scores 50, as for
 * {@code tcp}; a malformed property scores 100 with a message naming it.
 */
@Component(service = Probe.class, property = Probe.NAME + "=" + HttpProbe.NAME)
public final class HttpProbe implements Probe {

    /** The probe's name. */
    public static final String NAME = "http";
    /** Extension property: the URL to GET. */
    public static final String PROBE_URL = "Probe_url";
    /** Extension property: the accepted status codes. */
    public static final String PROBE_HTTP_STATUS = "Probe_http_status";
    /** Extension property: a regular expression the body must contain. */
    public static final String PROBE_HTTP_BODY = "Probe_http_body";
    /** The accepted status codes by default. */
    public static final String DEFAULT_STATUS = "200-399";
    /** How much of the body is read for {@code Probe_http_body}, in bytes. */
    public static final int BODY_LIMIT = 1 << 20;

    private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public ProbeResult probe(ProbeContext context) throws InterruptedException {
        PropertyValues p = context.properties();
        URI uri;
        StatusRanges expected;
        Pattern body;
        try {
            uri = uri(p, context.resourceName());
            expected = StatusRanges.parse(PROBE_HTTP_STATUS, p.find(PROBE_HTTP_STATUS).orElse(DEFAULT_STATUS));
            body = p.find(PROBE_HTTP_BODY).filter(b -> !b.isEmpty()).map(HttpProbe::pattern).orElse(null);
        } catch (IllegalArgumentException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, e.getMessage());
        }
        return get(uri, expected, body, context.timeLeft());
    }

    private ProbeResult get(URI uri, StatusRanges expected, Pattern body, Duration timeLeft)
            throws InterruptedException {
        String what = "GET " + uri;
        Optional<Duration> budget = Probes.budget(timeLeft);
        if (budget.isEmpty()) {
            return ProbeResult.failure(TcpProbe.PARTIAL_FAILURE, "no time left to " + what);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(budget.get()).GET()
                .header("User-Agent", "Vigil-probe").build();
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request, BoundedText.handler(body == null ? 0 : BODY_LIMIT));
        HttpResponse<String> response;
        try {
            response = exchange.get(budget.get().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, what + " timed out after "
                    + Probes.millis(budget.get()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, failure(what, budget.get(), e.getCause()));
        }
        int status = response.statusCode();
        if (!expected.contains(status)) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, what + " answered " + status + "; expected "
                    + expected);
        }
        if (body != null && !body.matcher(response.body()).find()) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, what + " answered " + status
                    + " but the body does not match /" + body.pattern() + "/");
        }
        return new ProbeResult(ProbeResult.HEALTHY, what + " answered " + status
                + (body == null ? "" : " with a body matching /" + body.pattern() + "/"));
    }

    private static String failure(String what, Duration budget, Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return what + " timed out after " + Probes.millis(budget);
        }
        String reason = null; // the JDK wraps the socket's exception, and may drop its message
        for (Throwable t = cause; t != null && reason == null; t = t.getCause() == t ? null : t.getCause()) {
            reason = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
        }
        if (cause instanceof ConnectException) {
            return what + ": connect " + (reason == null ? "failed (refused or unreachable)"
                    : reason.contains("refused") ? "refused" : "failed: " + reason);
        }
        return what + " failed: " + (reason == null ? cause.getClass().getSimpleName() : reason);
    }

    private static URI uri(PropertyValues p, String resource) {
        Optional<String> url = p.find(PROBE_URL).map(String::strip).filter(u -> !u.isEmpty());
        if (url.isPresent()) {
            URI uri;
            try {
                uri = new URI(url.get());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(PROBE_URL + " = \"" + url.get() + "\" is not a valid URL: "
                        + e.getMessage(), e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(PROBE_URL + " = \"" + url.get()
                        + "\" is not valid; expected an http or https URL with a host, e.g. http://127.0.0.1:8080/");
            }
            return uri;
        }
        List<Integer> ports = Probes.tcpPorts(p);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException(resource + " has neither " + PROBE_URL + " nor a tcp entry in "
                    + Probes.PORT_LIST + "; expected one of them to know what to GET");
        }
        return URI.create("http://" + Probes.hostPort(Probes.host(p), ports.get(0)) + "/");
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(PROBE_HTTP_BODY + " = \"" + regex
                    + "\" is not a valid regular expression: " + e.getDescription(), e);
        }
    }
}
