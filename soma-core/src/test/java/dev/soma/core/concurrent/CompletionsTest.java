package dev.soma.core.concurrent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompletionsTest {

    @Test
    void theValueOfWorkThatSucceeded() {
        assertThat(Completions.join(CompletableFuture.supplyAsync(() -> 42))).isEqualTo(42);
    }

    @Test
    void whatTheWorkThrewIsThrownAsItWas() {
        UncheckedIOException thrown = new UncheckedIOException("cannot read f", new IOException("gone"));
        CompletableFuture<Object> failed = CompletableFuture.supplyAsync(() -> {
            throw thrown;
        });
        assertThatThrownBy(() -> Completions.join(failed)).isSameAs(thrown);
        StackOverflowError error = new StackOverflowError();
        assertThatThrownBy(() -> Completions.join(CompletableFuture.failedFuture(error))).isSameAs(error);
    }

    @Test
    void aCheckedCauseStaysWrapped() {
        assertThatThrownBy(() -> Completions.join(CompletableFuture.failedFuture(new IOException("x"))))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
    }
}
