package dev.soma.jobs.internal;

/**
 * Checks that text is one JSON document (RFC 8259), without building it: the queue stores payloads as
 * text and only has to refuse what is not JSON. Recursive descent; nesting deeper than 512 is refused.
 */
public final class JsonSyntax {

    private static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;

    private JsonSyntax(String text) {
        this.text = text;
    }

    /** {@code null} when {@code text} is JSON, else what is wrong and where. */
    public static String problem(String text) {
        JsonSyntax parser = new JsonSyntax(text);
        try {
            parser.skipSpace();
            if (parser.pos >= text.length()) {
                return "it is empty";
            }
            parser.value(0);
            parser.skipSpace();
            if (parser.pos < text.length()) {
                throw parser.error("unexpected '" + text.charAt(parser.pos) + "' after the document");
            }
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> word("true");
            case 'f' -> word("false");
            case 'n' -> word("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw error("unexpected '" + c + "'");
                }
            }
        }
    }

    private void object(int depth) {
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a quoted key");
            }
            string();
            skipSpace();
            expect(':');
            value(depth + 1);
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') {
                return;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private void array(int depth) {
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            value(depth + 1);
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private void string() {
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                char escaped = peek();
                pos++;
                if (escaped == 'u') {
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(peek(), 16) < 0) {
                            throw error("bad \\u escape");
                        }
                        pos++;
                    }
                } else if ("\"\\/bfnrt".indexOf(escaped) < 0) {
                    pos--;
                    throw error("bad escape");
                }
            } else if (c < 0x20) {
                pos--;
                throw error("control character in a string");
            }
        }
        throw error("unterminated string");
    }

    private void number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("bad number");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw error("bad number");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("bad number");
            }
        }
        if (pos == start) {
            throw error("bad number");
        }
    }

    private boolean digits() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        return pos > start;
    }

    private void word(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private IllegalStateException error(String what) {
        return new IllegalStateException(what + " at character " + (pos + 1));
    }
}
