package io.vigil.monitor.probe;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A response body read as text, up to a limit: the rest is not read (the subscription is
 * cancelled, which closes the connection), so a large or endless body costs at most the limit.
 */
final class BoundedText implements HttpResponse.BodySubscriber<String> {

    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";\\s]+)");

    private final int limit;
    private final Charset charset;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> text = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BoundedText(int limit, Charset charset) {
        this.limit = limit;
        this.charset = charset;
    }

    /**
     * @param limit how many bytes to read at most; 0 reads nothing
     * @return a handler decoding by the response's {@code Content-Type} charset, else UTF-8
     */
    static HttpResponse.BodyHandler<String> handler(int limit) {
        return info -> new BoundedText(limit, charsetOf(info.headers().firstValue("Content-Type").orElse("")));
    }

    private static Charset charsetOf(String contentType) {
        Matcher m = CHARSET.matcher(contentType);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public CompletionStage<String> getBody() {
        return text;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (limit == 0) {
            finish();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (text.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = Math.min(b.remaining(), limit - bytes.size());
            byte[] chunk = new byte[n];
            b.get(chunk);
            bytes.write(chunk, 0, n);
            if (bytes.size() >= limit) {
                finish();
                return;
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        text.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        text.complete(new String(bytes.toByteArray(), charset));
    }

    private void finish() {
        subscription.cancel();
        text.complete(new String(bytes.toByteArray(), charset));
    }
}
