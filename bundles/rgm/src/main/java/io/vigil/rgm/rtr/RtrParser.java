package io.vigil.rgm.rtr;

import io.vigil.api.type.Method;
import io.vigil.rgm.rtr.RtrLexer.Kind;
import io.vigil.rgm.rtr.RtrLexer.Token;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Parses Sun Cluster RTR (Resource Type Registration) files.
 *
 * <p>Grammar: resource-type properties ({@code Resource_type} first), then optional
 * {@code #$upgrade} / {@code #$upgrade_from} directives, then paramtable entries
 * {@code { PROPERTY = name; attribute; ... }}. Keywords ignore case; {@code #} starts a comment
 * outside double quotes. The first error stops the parse and is reported as an
 * {@link RtrException} with line and column.
 */
public final class RtrParser {

    private static final List<String> RT_PROPERTIES = List.of("Resource_type", "Vendor_id", "RT_description",
            "RT_version", "API_version", "Failover", "Init_nodes", "Single_instance", "RT_basedir", "Pkglist",
            "RT_system", "Global_zone", "Proxy", "Is_logical_hostname", "Is_shared_address", "Sysdefined_type");

    private static final Set<String> RT_BOOLEANS = Set.of("Failover", "Single_instance", "RT_system",
            "Global_zone", "Proxy", "Is_logical_hostname", "Is_shared_address");

    private static final List<String> ATTRIBUTES = List.of("PROPERTY", "EXTENSION", "STRING", "BOOLEAN", "INT",
            "ENUM", "ENUMLIST", "STRINGARRAY", "DEFAULT", "MIN", "MAX", "MINLENGTH", "MAXLENGTH", "ARRAY_MINSIZE",
            "ARRAY_MAXSIZE", "TUNABLE", "DESCRIPTION", "PER_NODE");

    private static final Map<String, PropertyType> TYPE_KEYWORDS = Map.of("STRING", PropertyType.STRING,
            "BOOLEAN", PropertyType.BOOLEAN, "INT", PropertyType.INT, "ENUM", PropertyType.ENUM,
            "ENUMLIST", PropertyType.ENUM, "STRINGARRAY", PropertyType.STRINGARRAY);

    private static final List<String> UPGRADE_TUNABILITIES =
            List.of("anytime", "when_unmonitored", "when_offline", "when_unmanaged");

    private enum Phase { TYPE, DIRECTIVES, PARAMTABLE }

    private final String source;
    private final RtrLexer lex;
    private final Map<String, List<String>> typeProps = new LinkedHashMap<>();
    private final Map<String, Token> typePropAt = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<Method, String> methods = new EnumMap<>(Method.class);
    private Token upgradeAt;
    private final List<UpgradeFrom> upgradeFrom = new ArrayList<>();
    private final Map<String, Token> upgradeVersions = new HashMap<>();
    private final List<PropertyDecl> properties = new ArrayList<>();
    private final Map<String, Token> propertyAt = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private RtrParser(String source, String text) {
        this.source = source;
        this.lex = new RtrLexer(source, text);
    }

    /**
     * Parses RTR text.
     *
     * @param source file name or path, used only in error messages
     * @param text the RTR text
     * @return the parsed file
     * @throws RtrException at the first syntax or semantic error
     */
    public static RtrFile parse(String source, String text) throws RtrException {
        return new RtrParser(source, text).file();
    }

    /**
     * Reads and parses an RTR file (UTF-8; malformed bytes are replaced).
     *
     * @param file the file; its path is the source in error messages
     * @return the parsed file
     * @throws RtrException at the first syntax or semantic error
     * @throws IOException when the file cannot be read
     */
    public static RtrFile parse(Path file) throws RtrException, IOException {
        return parse(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- file structure

    private RtrFile file() throws RtrException {
        Phase phase = Phase.TYPE;
        while (true) {
            Token t = lex.peek();
            if (typeProps.isEmpty() && t.kind() != Kind.WORD) {
                throw found(t, t.describe(), "Resource_type as the first property");
            }
            switch (t.kind()) {
                case EOF:
                    return finish();
                case WORD:
                    if (phase == Phase.TYPE) {
                        typeProperty();
                    } else if (phase == Phase.DIRECTIVES) {
                        throw found(t, t.describe() + " after an upgrade directive",
                                "'{' or end of file (directives go between the resource-type properties and the"
                                        + " paramtable)");
                    } else {
                        throw found(t, t.describe() + " after the paramtable", "'{' or end of file");
                    }
                    break;
                case DIRECTIVE:
                    if (phase == Phase.PARAMTABLE) {
                        throw found(t, t.describe() + " in the paramtable",
                                "'{' or end of file (directives go between the resource-type properties and the"
                                        + " paramtable)");
                    }
                    directive(lex.next());
                    phase = Phase.DIRECTIVES;
                    break;
                case LBRACE:
                    entry();
                    phase = Phase.PARAMTABLE;
                    break;
                default:
                    throw found(t, t.describe(),
                            phase == Phase.TYPE ? "a resource-type property name" : "'{' or end of file");
            }
        }
    }

    private RtrFile finish() throws RtrException {
        Token rt = typePropAt.get("Resource_type");
        String name = typeProps.get("Resource_type").get(0);
        if (!methods.containsKey(Method.START) && !methods.containsKey(Method.PRENET_START)) {
            throw problem(rt, "resource type " + name + " declares no start method",
                    "a Start or Prenet_start method");
        }
        if (!methods.containsKey(Method.STOP) && !methods.containsKey(Method.POSTNET_STOP)) {
            throw problem(rt, "resource type " + name + " declares no stop method",
                    "a Stop or Postnet_stop method");
        }
        return new RtrFile(source, typeProps, methods, upgradeAt != null, upgradeFrom, properties);
    }

    // ---------------------------------------------------------------- resource-type properties

    private void typeProperty() throws RtrException {
        Token nameTok = lex.next();
        String name = canonicalTypeProperty(nameTok.text());
        if (typeProps.isEmpty() && !"Resource_type".equals(name)) {
            throw found(nameTok, nameTok.describe(), "Resource_type as the first property");
        }
        if (name == null) {
            if ("Installed_nodes".equalsIgnoreCase(nameTok.text())) {
                throw problem(nameTok, "Installed_nodes is set by the administrator and cannot be declared in an"
                        + " RTR file", "another resource-type property or the paramtable");
            }
            throw found(nameTok, "unknown resource-type property " + nameTok.describe(),
                    "one of " + String.join(", ", RT_PROPERTIES) + ", " + Method.values().length + " method names ("
                            + List.of(Method.values()).stream().map(Method::rtrName)
                                    .collect(Collectors.joining(", ")) + ")");
        }
        Token first = typePropAt.get(name);
        if (first != null) {
            throw problem(nameTok, "duplicate resource-type property " + name + " (first declared at " + at(first) + ")",
                    "each resource-type property once");
        }
        typePropAt.put(name, nameTok);

        Token t = lex.next();
        boolean isBoolean = RT_BOOLEANS.contains(name);
        if (t.kind() == Kind.SEMI && isBoolean) {
            typeProps.put(name, List.of("TRUE"));
            return;
        }
        if (t.kind() != Kind.EQUALS) {
            throw found(t, t.describe(), isBoolean ? "'=' or ';'" : "'=' and a value for " + name);
        }
        if ("Pkglist".equals(name)) {
            List<Token> values = valueList();
            expectListEnd();
            typeProps.put(name, texts(values));
            return;
        }
        boolean emptyAllowed = "RT_description".equals(name) || "RT_version".equals(name);
        Token v = singleValue("a value for " + name, emptyAllowed);
        String value = v == null ? "" : v.text();
        Method method = Method.fromRtrName(name).orElse(null);
        if (method != null) {
            requireNonEmpty(v, "a program path for " + name);
            methods.put(method, value);
        } else if (isBoolean) {
            if (!isBooleanText(value)) {
                throw found(v, v.describe(), "TRUE or FALSE for " + name);
            }
        } else {
            switch (name) {
                case "Resource_type":
                    requireNonEmpty(v, "a resource type name");
                    break;
                case "Vendor_id":
                    requireNonEmpty(v, "a vendor id");
                    break;
                case "Sysdefined_type":
                    requireNonEmpty(v, "a value for Sysdefined_type");
                    break;
                case "RT_basedir":
                    if (!value.startsWith("/")) {
                        throw found(v, value.isEmpty() ? "an empty value" : v.describe(),
                                "an absolute directory path (starting with '/') for RT_basedir");
                    }
                    break;
                case "API_version":
                    Integer api = parseInt(value);
                    if (api == null || api < 1) {
                        throw found(v, v.describe(), "a positive integer for API_version");
                    }
                    break;
                case "Init_nodes":
                    String upper = value.toUpperCase(Locale.ROOT);
                    if (!upper.equals(RtrFile.RG_PRIMARIES) && !upper.equals(RtrFile.RT_INSTALLED_NODES)
                            && !upper.equals("RG_NODELIST")) {
                        throw found(v, v.describe(), "RG_PRIMARIES or RT_INSTALLED_NODES for Init_nodes");
                    }
                    break;
                default:
                    break;
            }
        }
        typeProps.put(name, List.of(value));
    }

    private static String canonicalTypeProperty(String text) {
        for (String p : RT_PROPERTIES) {
            if (p.equalsIgnoreCase(text)) {
                return p;
            }
        }
        return Method.fromRtrName(text).map(Method::rtrName).orElse(null);
    }

    // ---------------------------------------------------------------- directives

    private void directive(Token t) throws RtrException {
        String name = t.directiveName();
        DirectiveScanner scan = new DirectiveScanner(t, name.length());
        if ("upgrade".equalsIgnoreCase(name)) {
            scan.expectEnd("end of line after #$upgrade");
            if (upgradeAt != null) {
                throw problem(t, "duplicate #$upgrade directive (first at " + at(upgradeAt) + ")",
                        "#$upgrade once");
            }
            upgradeAt = t;
        } else if ("upgrade_from".equalsIgnoreCase(name)) {
            if (upgradeAt == null) {
                throw found(t, "directive '#$" + name + "' before #$upgrade", "#$upgrade first");
            }
            Token version = scan.next();
            if (version.kind() != Kind.QUOTED) {
                throw found(version, describeInDirective(version), "a quoted version such as \"1.0\" after #$upgrade_from");
            }
            Token tun = scan.next();
            String tunability = tun.text().toLowerCase(Locale.ROOT);
            if (tun.kind() != Kind.WORD || !UPGRADE_TUNABILITIES.contains(tunability)) {
                throw found(tun, describeInDirective(tun), "anytime, when_unmonitored, when_offline or when_unmanaged");
            }
            scan.expectEnd("end of line after the tunability");
            Token first = upgradeVersions.putIfAbsent(version.text(), version);
            if (first != null) {
                throw problem(version, "duplicate #$upgrade_from for version \"" + version.text() + "\" (first at "
                        + at(first) + ")", "each version once");
            }
            upgradeFrom.add(new UpgradeFrom(version.text(), tunability));
        } else {
            throw found(t, "unknown directive '#$" + name + "'", "#$upgrade or #$upgrade_from");
        }
    }

    private static String describeInDirective(Token t) {
        return t.kind() == Kind.EOF ? "end of line" : t.describe();
    }

    /** Tokens of one directive line: words and quoted values; a {@code #} ends the line. */
    private final class DirectiveScanner {
        private final String text;
        private final int line;
        private final int baseColumn;
        private int pos;

        DirectiveScanner(Token directive, int start) {
            this.text = directive.text();
            this.line = directive.line();
            this.baseColumn = directive.column() + 2;
            this.pos = start;
        }

        Token next() throws RtrException {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            int col = baseColumn + pos;
            if (pos >= text.length() || text.charAt(pos) == '#') {
                pos = text.length();
                return new Token(Kind.EOF, "", line, col);
            }
            if (text.charAt(pos) == '"') {
                int close = text.indexOf('"', pos + 1);
                if (close < 0) {
                    throw RtrException.found(source, line, col, "unterminated quoted value",
                            "'\"' before the end of the line");
                }
                Token q = new Token(Kind.QUOTED, text.substring(pos + 1, close), line, col);
                pos = close + 1;
                return q;
            }
            int start = pos;
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && text.charAt(pos) != '"'
                    && text.charAt(pos) != '#') {
                pos++;
            }
            return new Token(Kind.WORD, text.substring(start, pos), line, col);
        }

        void expectEnd(String expected) throws RtrException {
            Token t = next();
            if (t.kind() != Kind.EOF) {
                throw found(t, describeInDirective(t), expected);
            }
        }
    }

    // ---------------------------------------------------------------- paramtable entries

    private void entry() throws RtrException {
        Token open = lex.next();
        Token kw = lex.next();
        if (kw.kind() != Kind.WORD || !kw.text().equalsIgnoreCase("PROPERTY")) {
            throw found(kw, kw.describe(), "PROPERTY = <name>; as the first attribute of the entry");
        }
        expect(Kind.EQUALS, "'=' after PROPERTY");
        Token nameTok = lex.next();
        if (!nameTok.isValue() || nameTok.text().isEmpty()) {
            throw found(nameTok, nameTok.isValue() ? "an empty value" : nameTok.describe(), "a property name");
        }
        expect(Kind.SEMI, "';'");
        String name = nameTok.text();
        Token first = propertyAt.get(name);
        if (first != null) {
            throw problem(nameTok, "duplicate entry for property " + name + " (first at " + at(first) + ")",
                    "each property declared once");
        }
        propertyAt.put(name, nameTok);

        PropertyDecl.Builder b = new PropertyDecl.Builder();
        b.name = name;
        b.line = kw.line();
        b.column = kw.column();
        Map<String, Token> attrAt = new HashMap<>();
        attrAt.put("PROPERTY", kw);
        Token typeTok = null;
        List<Token> defaults = null;
        while (true) {
            Token t = lex.next();
            if (t.kind() == Kind.RBRACE) {
                break;
            }
            if (t.kind() != Kind.WORD) {
                throw found(t, t.describe(), "an attribute or '}' to close the entry opened at " + at(open));
            }
            String key = t.text().toUpperCase(Locale.ROOT);
            if (!ATTRIBUTES.contains(key)) {
                throw found(t, "unknown attribute " + t.describe(),
                        "one of " + String.join(", ", ATTRIBUTES.subList(1, ATTRIBUTES.size())) + " or '}'");
            }
            PropertyType type = TYPE_KEYWORDS.get(key);
            if (type != null) {
                if (typeTok != null) {
                    throw problem(t, "second type " + key + " for property " + name + " (already "
                            + typeTok.text().toUpperCase(Locale.ROOT) + " at " + at(typeTok) + ")",
                            "one type per property");
                }
                typeTok = t;
                b.type = type;
            } else {
                Token prev = attrAt.putIfAbsent(key, t);
                if (prev != null) {
                    throw problem(t, "duplicate attribute " + key + " in the entry for " + name + " (first at "
                            + at(prev) + ")", "each attribute once");
                }
            }
            switch (key) {
                case "EXTENSION":
                    b.extension = booleanAttribute(key);
                    break;
                case "PER_NODE":
                    b.perNode = booleanAttribute(key);
                    break;
                case "STRING":
                case "BOOLEAN":
                case "INT":
                case "STRINGARRAY":
                    expect(Kind.SEMI, "';' after " + key);
                    break;
                case "ENUM":
                case "ENUMLIST":
                    b.enumValues = enumValues(key);
                    break;
                case "DEFAULT":
                    expect(Kind.EQUALS, "'=' after DEFAULT");
                    defaults = valueList();
                    expectListEnd();
                    b.defaultValues = texts(defaults);
                    break;
                case "MIN":
                    b.min = intAttribute(key, false);
                    break;
                case "MAX":
                    b.max = intAttribute(key, false);
                    break;
                case "MINLENGTH":
                    b.minLength = intAttribute(key, true);
                    break;
                case "MAXLENGTH":
                    b.maxLength = intAttribute(key, true);
                    break;
                case "ARRAY_MINSIZE":
                    b.arrayMinSize = intAttribute(key, true);
                    break;
                case "ARRAY_MAXSIZE":
                    b.arrayMaxSize = intAttribute(key, true);
                    break;
                case "TUNABLE":
                    b.tunable = tunable();
                    break;
                case "DESCRIPTION": {
                    expect(Kind.EQUALS, "'=' after DESCRIPTION");
                    Token v = singleValue("a value for DESCRIPTION", true);
                    b.description = v == null ? "" : v.text();
                    break;
                }
                default:
                    throw new IllegalStateException(key);
            }
        }
        check(b, nameTok, typeTok, attrAt, defaults);
        properties.add(new PropertyDecl(b));
    }

    private boolean booleanAttribute(String key) throws RtrException {
        Token t = lex.next();
        if (t.kind() == Kind.SEMI) {
            return true;
        }
        if (t.kind() != Kind.EQUALS) {
            throw found(t, t.describe(), "'=' or ';' after " + key);
        }
        Token v = singleValue("TRUE or FALSE for " + key, false);
        if (!isBooleanText(v.text())) {
            throw found(v, v.describe(), "TRUE or FALSE for " + key);
        }
        return v.text().equalsIgnoreCase("TRUE");
    }

    private Integer intAttribute(String key, boolean nonNegative) throws RtrException {
        expect(Kind.EQUALS, "'=' after " + key);
        String what = nonNegative ? "a non-negative integer for " + key : "an integer for " + key;
        Token v = singleValue(what, false);
        Integer i = parseInt(v.text());
        if (i == null || (nonNegative && i < 0)) {
            throw found(v, v.describe(), what);
        }
        return i;
    }

    private Tunable tunable() throws RtrException {
        Token t = lex.next();
        if (t.kind() == Kind.SEMI) {
            return Tunable.ANYTIME;
        }
        if (t.kind() != Kind.EQUALS) {
            throw found(t, t.describe(), "'=' or ';' after TUNABLE");
        }
        String expected = "NONE, FALSE, TRUE, ANYTIME, AT_CREATION or WHEN_DISABLED";
        Token v = singleValue(expected, false);
        return Tunable.fromRtr(v.text()).orElseThrow(() -> found(v, v.describe(), expected));
    }

    private List<String> enumValues(String key) throws RtrException {
        Token t = lex.next();
        List<Token> values = new ArrayList<>();
        if (t.kind() == Kind.LBRACE) {
            while (true) {
                Token v = lex.next();
                if (!v.isValue()) {
                    throw found(v, v.describe(), "an enum value");
                }
                values.add(v);
                Token sep = lex.next();
                if (sep.kind() == Kind.RBRACE) {
                    break;
                }
                if (sep.kind() != Kind.COMMA) {
                    throw found(sep, sep.describe(), "',' or '}'");
                }
            }
            expect(Kind.SEMI, "';' after '}'");
        } else if (t.kind() == Kind.EQUALS) {
            values = valueList();
            if (values.isEmpty()) {
                Token semi = lex.peek();
                throw found(semi, semi.describe(), "an enum value");
            }
            expectListEnd();
        } else {
            throw found(t, t.describe(), "'{' after " + key);
        }
        Map<String, Token> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Token v : values) {
            if (v.text().isEmpty()) {
                throw found(v, "an empty value", "an enum value");
            }
            Token prev = seen.putIfAbsent(v.text(), v);
            if (prev != null) {
                throw problem(v, "duplicate enum value " + v.text() + " (first at " + at(prev) + ")",
                        "each value once");
            }
        }
        return texts(values);
    }

    /** Semantic checks of one entry, once its closing brace is read. */
    private void check(PropertyDecl.Builder b, Token nameTok, Token typeTok, Map<String, Token> attrAt,
            List<Token> defaults) throws RtrException {
        String name = b.name;
        if (!b.extension && typeTok != null) {
            throw problem(typeTok, "type " + typeTok.text().toUpperCase(Locale.ROOT) + " given for system-defined"
                    + " property " + name, "EXTENSION, or no type keyword (a system-defined property's type is"
                    + " fixed)");
        }
        if (b.extension && typeTok == null) {
            throw problem(nameTok, "extension property " + name + " has no type",
                    "one of STRING, BOOLEAN, INT, ENUM { ... } or STRINGARRAY");
        }
        PropertyType type = b.extension ? b.type : SystemProperties.type(name).orElse(null);
        if (type != null) {
            requireType(attrAt, "MIN", type, name, Set.of(PropertyType.INT), "INT");
            requireType(attrAt, "MAX", type, name, Set.of(PropertyType.INT), "INT");
            Set<PropertyType> strings = Set.of(PropertyType.STRING, PropertyType.STRINGARRAY);
            requireType(attrAt, "MINLENGTH", type, name, strings, "STRING or STRINGARRAY");
            requireType(attrAt, "MAXLENGTH", type, name, strings, "STRING or STRINGARRAY");
            requireType(attrAt, "ARRAY_MINSIZE", type, name, Set.of(PropertyType.STRINGARRAY), "STRINGARRAY");
            requireType(attrAt, "ARRAY_MAXSIZE", type, name, Set.of(PropertyType.STRINGARRAY), "STRINGARRAY");
        }
        requireOrder(attrAt, "MIN", b.min, "MAX", b.max, name);
        requireOrder(attrAt, "MINLENGTH", b.minLength, "MAXLENGTH", b.maxLength, name);
        requireOrder(attrAt, "ARRAY_MINSIZE", b.arrayMinSize, "ARRAY_MAXSIZE", b.arrayMaxSize, name);
        if (!b.extension && SystemProperties.timeoutOf(name).isPresent()) {
            if (b.max != null) {
                throw problem(attrAt.get("MAX"), "MAX given for method timeout " + name,
                        "no MAX on a method timeout");
            }
            if (b.min != null && b.min < 1) {
                throw problem(attrAt.get("MIN"), "MIN = " + b.min + " given for method timeout " + name,
                        "a MIN of at least 1");
            }
        }
        if (b.perNode) {
            Token perNode = attrAt.get("PER_NODE");
            if (!b.extension) {
                throw problem(perNode, "PER_NODE given for system-defined property " + name,
                        "PER_NODE only on extension properties");
            }
            if (defaults == null) {
                throw problem(perNode, "PER_NODE property " + name + " has no DEFAULT", "a DEFAULT value");
            }
        }
        if (defaults != null && type != null) {
            checkDefault(b, type, attrAt.get("DEFAULT"), defaults);
        }
    }

    private void checkDefault(PropertyDecl.Builder b, PropertyType type, Token defaultTok, List<Token> defaults)
            throws RtrException {
        String name = b.name;
        if (type == PropertyType.STRINGARRAY) {
            return;
        }
        if (defaults.size() > 1) {
            Token second = defaults.get(1);
            throw found(second, "a second value " + second.describe(),
                    "a single DEFAULT for " + type + " property " + name);
        }
        if (type == PropertyType.STRING) {
            return;
        }
        List<String> enumValues = b.extension ? b.enumValues : SystemProperties.enumValues(name);
        String expected;
        switch (type) {
            case INT:
                expected = "an integer";
                break;
            case BOOLEAN:
                expected = "TRUE or FALSE";
                break;
            default:
                expected = "one of " + String.join(", ", enumValues);
                break;
        }
        if (defaults.isEmpty() || defaults.get(0).text().isEmpty()) {
            throw problem(defaultTok, "empty DEFAULT for " + type + " property " + name, expected);
        }
        Token v = defaults.get(0);
        String text = v.text();
        switch (type) {
            case INT: {
                Integer i = parseInt(text);
                if (i == null) {
                    throw found(v, v.describe(), "an integer DEFAULT for " + name);
                }
                if (b.min != null && i < b.min) {
                    throw problem(v, "DEFAULT " + i + " of " + name + " is less than MIN " + b.min,
                            "a DEFAULT within MIN and MAX");
                }
                if (b.max != null && i > b.max) {
                    throw problem(v, "DEFAULT " + i + " of " + name + " is greater than MAX " + b.max,
                            "a DEFAULT within MIN and MAX");
                }
                break;
            }
            case BOOLEAN:
                if (!isBooleanText(text)) {
                    throw found(v, v.describe(), "TRUE or FALSE as DEFAULT for " + name);
                }
                break;
            default:
                if (enumValues.stream().noneMatch(text::equalsIgnoreCase)) {
                    throw found(v, v.describe(), "one of " + String.join(", ", enumValues) + " as DEFAULT for "
                            + name);
                }
                break;
        }
    }

    private void requireType(Map<String, Token> attrAt, String key, PropertyType type, String name,
            Set<PropertyType> allowed, String allowedText) throws RtrException {
        Token t = attrAt.get(key);
        if (t != null && !allowed.contains(type)) {
            throw problem(t, key + " given for " + type + " property " + name, key + " only on " + allowedText
                    + " properties");
        }
    }

    private void requireOrder(Map<String, Token> attrAt, String lowKey, Integer low, String highKey, Integer high,
            String name) throws RtrException {
        if (low != null && high != null && high < low) {
            throw problem(attrAt.get(highKey), highKey + " " + high + " is less than " + lowKey + " " + low
                    + " for property " + name, highKey + " of at least " + lowKey);
        }
    }

    // ---------------------------------------------------------------- values and helpers

    /** Reads {@code value (, value)*}, or nothing when the next token is {@code ;}. */
    private List<Token> valueList() throws RtrException {
        List<Token> values = new ArrayList<>();
        if (lex.peek().kind() == Kind.SEMI) {
            return values;
        }
        Token v = lex.next();
        if (!v.isValue()) {
            throw found(v, v.describe(), "a value or ';'");
        }
        values.add(v);
        while (lex.peek().kind() == Kind.COMMA) {
            lex.next();
            Token w = lex.next();
            if (!w.isValue()) {
                throw found(w, w.describe(), "a value after ','");
            }
            values.add(w);
        }
        return values;
    }

    private void expectListEnd() throws RtrException {
        expect(Kind.SEMI, "',' or ';'");
    }

    /**
     * Reads one value and the {@code ;} after it.
     *
     * @return the value, or null for {@code ;} alone when emptyAllowed
     */
    private Token singleValue(String expected, boolean emptyAllowed) throws RtrException {
        Token v = lex.next();
        if (v.kind() == Kind.SEMI && emptyAllowed) {
            return null;
        }
        if (!v.isValue()) {
            throw found(v, v.describe(), expected);
        }
        expect(Kind.SEMI, "';'");
        return v;
    }

    private void requireNonEmpty(Token v, String expected) throws RtrException {
        if (v.text().isEmpty()) {
            throw found(v, "an empty value", expected);
        }
    }

    private Token expect(Kind kind, String expected) throws RtrException {
        Token t = lex.next();
        if (t.kind() != kind) {
            throw found(t, t.describe(), expected);
        }
        return t;
    }

    private static List<String> texts(List<Token> tokens) {
        return tokens.stream().map(Token::text).collect(Collectors.toList());
    }

    private static boolean isBooleanText(String s) {
        return s.equalsIgnoreCase("TRUE") || s.equalsIgnoreCase("FALSE");
    }

    private static Integer parseInt(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String at(Token t) {
        return t.line() + ":" + t.column();
    }

    private RtrException found(Token t, String found, String expected) {
        return RtrException.found(source, t.line(), t.column(), found, expected);
    }

    private RtrException problem(Token t, String problem, String expectation) {
        return RtrException.problem(source, t.line(), t.column(), problem, expectation);
    }
}
