package io.vigil.rgm.rtr;

/** Splits RTR text into tokens, skipping blanks and comments; one token of lookahead. */
final class RtrLexer {

    enum Kind { WORD, QUOTED, EQUALS, SEMI, COMMA, LBRACE, RBRACE, DIRECTIVE, EOF }

    /**
     * A token. For {@link Kind#QUOTED} the text is without the quotes; for {@link Kind#DIRECTIVE}
     * it is the rest of the line after {@code #$}.
     */
    record Token(Kind kind, String text, int line, int column) {

        String describe() {
            switch (kind) {
                case WORD:
                    return "'" + shorten(text) + "'";
                case QUOTED:
                    return "\"" + shorten(text) + "\"";
                case DIRECTIVE:
                    return "directive '#$" + directiveName() + "'";
                case EOF:
                    return "end of file";
                default:
                    return "'" + text + "'";
            }
        }

        String directiveName() {
            int end = 0;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '#'
                    && text.charAt(end) != '"') {
                end++;
            }
            return text.substring(0, end);
        }

        boolean isValue() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }
    }

    private final String source;
    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;
    private Token peeked;

    RtrLexer(String source, String text) {
        this.source = source;
        this.text = text;
        if (text.startsWith("\uFEFF")) {
            pos = 1;
            lineStart = 1;
        }
    }

    Token peek() throws RtrException {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    Token next() throws RtrException {
        Token t = peek();
        peeked = null;
        return t;
    }

    private Token scan() throws RtrException {
        skipBlanksAndComments();
        int col = pos - lineStart + 1;
        if (pos >= text.length()) {
            return new Token(Kind.EOF, "", line, col);
        }
        char c = text.charAt(pos);
        switch (c) {
            case '=':
                pos++;
                return new Token(Kind.EQUALS, "=", line, col);
            case ';':
                pos++;
                return new Token(Kind.SEMI, ";", line, col);
            case ',':
                pos++;
                return new Token(Kind.COMMA, ",", line, col);
            case '{':
                pos++;
                return new Token(Kind.LBRACE, "{", line, col);
            case '}':
                pos++;
                return new Token(Kind.RBRACE, "}", line, col);
            case '#': {
                int end = endOfLine(pos);
                Token t = new Token(Kind.DIRECTIVE, text.substring(pos + 2, end), line, col);
                pos = end;
                return t;
            }
            case '"': {
                int start = pos + 1;
                int i = start;
                while (i < text.length() && text.charAt(i) != '"' && text.charAt(i) != '\n') {
                    i++;
                }
                if (i >= text.length() || text.charAt(i) != '"') {
                    throw RtrException.found(source, line, col, "unterminated quoted value",
                            "'\"' before the end of the " + (i >= text.length() ? "file" : "line"));
                }
                pos = i + 1;
                return new Token(Kind.QUOTED, text.substring(start, i), line, col);
            }
            default: {
                int start = pos;
                while (pos < text.length() && isWordChar(text.charAt(pos))) {
                    pos++;
                }
                return new Token(Kind.WORD, text.substring(start, pos), line, col);
            }
        }
    }

    /** Skips blanks and comments, stopping at a directive ({@code #$}). */
    private void skipBlanksAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (isBlank(c)) {
                pos++;
            } else if (c == '#' && !(pos + 1 < text.length() && text.charAt(pos + 1) == '$')) {
                pos = endOfLine(pos);
            } else {
                return;
            }
        }
    }

    private int endOfLine(int from) {
        int i = text.indexOf('\n', from);
        if (i < 0) {
            i = text.length();
        }
        if (i > from && text.charAt(i - 1) == '\r') {
            i--;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isWordChar(char c) {
        return !(isBlank(c) || c == '\n' || c == '=' || c == ';' || c == ',' || c == '{' || c == '}' || c == '#'
                || c == '"');
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
