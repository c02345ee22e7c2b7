package io.vigil.rgm.rtr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed RTR text: each case names the exact line, column and message of the error. */
class RtrParserErrorsTest {

    /** A valid resource-type section of three lines; cases append to it from line 4 on. */
    private static final String HEADER = "RESOURCE_TYPE = x;\nSTART = s;\nSTOP = t;\n";

    private static final String ENTRY_EXPECTED = "directives go between the resource-type properties and the paramtable";

    private static Arguments c(String name, String text, int line, int column, String detail) {
        return Arguments.of(name, text, line, column, detail);
    }

    /** An extension property Foo at line 4 whose attributes start on line 7. */
    private static String ext(String type, String... attributes) {
        return HEADER + "{\n\tPROPERTY = Foo;\n\tEXTENSION;\n\t" + type + ";\n\t" + String.join("\n\t", attributes)
                + "\n}\n";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // structure of the file
                c("empty file", "", 1, 1, "found end of file, expected Resource_type as the first property"),
                c("only a comment", "# nothing\n", 2, 1,
                        "found end of file, expected Resource_type as the first property"),
                c("Vendor_id first", "VENDOR_ID = SUNW;\nRESOURCE_TYPE = x;\n", 1, 1,
                        "found 'VENDOR_ID', expected Resource_type as the first property"),
                c("paramtable first", "{ PROPERTY = a; }", 1, 1,
                        "found '{', expected Resource_type as the first property"),
                c("stray brace", HEADER + "}\n", 4, 1, "found '}', expected a resource-type property name"),
                c("RT property after paramtable", HEADER + "{ PROPERTY = Retry_count; }\nVENDOR_ID = V;\n", 5, 1,
                        "found 'VENDOR_ID' after the paramtable, expected '{' or end of file"),
                c("no start method", "RESOURCE_TYPE = x;\nVENDOR_ID = V;\nSTOP = t;\n", 1, 1,
                        "resource type x declares no start method; expected a Start or Prenet_start method"),
                c("no stop method", "RESOURCE_TYPE = x;\nPRENET_START = s;\n", 1, 1,
                        "resource type x declares no stop method; expected a Stop or Postnet_stop method"),

                // resource-type properties
                c("missing semicolon", "RESOURCE_TYPE = x;\nVENDOR_ID = SUNW\nSTART = s;\nSTOP = t;\n", 3, 1,
                        "found 'START', expected ';'"),
                c("missing equals", "RESOURCE_TYPE x;\n", 1, 15,
                        "found 'x', expected '=' and a value for Resource_type"),
                c("bare method", "RESOURCE_TYPE = x;\nSTART;\n", 2, 6,
                        "found ';', expected '=' and a value for Start"),
                c("two values for a single-valued property", "RESOURCE_TYPE = x, y;\n", 1, 18,
                        "found ',', expected ';'"),
                c("empty resource type", "RESOURCE_TYPE = \"\";\n", 1, 17,
                        "found an empty value, expected a resource type name"),
                c("empty method path", HEADER + "UPDATE = \"\";\n", 4, 10,
                        "found an empty value, expected a program path for Update"),
                c("unknown RT property", HEADER + "RT_FOO = 1;\n", 4, 1,
                        "found unknown resource-type property 'RT_FOO', expected one of Resource_type, Vendor_id,"
                                + " RT_description, RT_version, API_version, Failover, Init_nodes, Single_instance,"
                                + " RT_basedir, Pkglist, RT_system, Global_zone, Proxy, Is_logical_hostname,"
                                + " Is_shared_address, Sysdefined_type, 12 method names (Start, Stop, Validate,"
                                + " Update, Init, Fini, Boot, Prenet_start, Postnet_stop, Monitor_start,"
                                + " Monitor_stop, Monitor_check)"),
                c("Installed_nodes", HEADER + "Installed_nodes = a;\n", 4, 1,
                        "Installed_nodes is set by the administrator and cannot be declared in an RTR file;"
                                + " expected another resource-type property or the paramtable"),
                c("duplicate RT property ignoring case", "RESOURCE_TYPE = x;\nSTART = s;\nstart = u;\nSTOP = t;\n",
                        3, 1, "duplicate resource-type property Start (first declared at 2:1); expected each"
                                + " resource-type property once"),
                c("bad RT boolean", "RESOURCE_TYPE = x;\nFAILOVER = maybe;\n", 2, 12,
                        "found 'maybe', expected TRUE or FALSE for Failover"),
                c("bad API_version", HEADER + "API_VERSION = two;\n", 4, 15,
                        "found 'two', expected a positive integer for API_version"),
                c("bad Init_nodes", HEADER + "INIT_NODES = EVERYWHERE;\n", 4, 14,
                        "found 'EVERYWHERE', expected RG_PRIMARIES or RT_INSTALLED_NODES for Init_nodes"),
                c("relative RT_basedir", HEADER + "RT_BASEDIR = opt/bin;\n", 4, 14,
                        "found 'opt/bin', expected an absolute directory path (starting with '/') for RT_basedir"),

                // lexical errors
                c("unterminated quote at end of line", "RESOURCE_TYPE = \"x;\nSTART = s;\n", 1, 17,
                        "found unterminated quoted value, expected '\"' before the end of the line"),
                c("unterminated quote at end of file", HEADER + "RT_DESCRIPTION = \"abc", 4, 18,
                        "found unterminated quoted value, expected '\"' before the end of the file"),
                c("error column after a tab", HEADER + "\tVENDOR_ID\t= ;\n", 4, 14,
                        "found ';', expected a value for Vendor_id"),

                // directives
                c("directive before the RT section", "#$upgrade\nRESOURCE_TYPE = x;\n", 1, 1,
                        "found directive '#$upgrade', expected Resource_type as the first property"),
                c("directive inside the RT section", "RESOURCE_TYPE = x;\n#$upgrade\nSTART = s;\nSTOP = t;\n", 3,
                        1, "found 'START' after an upgrade directive, expected '{' or end of file ("
                                + ENTRY_EXPECTED + ")"),
                c("directive in the paramtable", HEADER + "{ PROPERTY = Retry_count; }\n#$upgrade\n", 5, 1,
                        "found directive '#$upgrade' in the paramtable, expected '{' or end of file ("
                                + ENTRY_EXPECTED + ")"),
                c("directive inside an entry", HEADER + "{\n  PROPERTY = Retry_count;\n#$upgrade\n}\n", 6, 1,
                        "found directive '#$upgrade', expected an attribute or '}' to close the entry opened at 4:1"),
                c("unknown directive", HEADER + "#$upgrayed\n", 4, 1,
                        "found unknown directive '#$upgrayed', expected #$upgrade or #$upgrade_from"),
                c("upgrade_from before upgrade", HEADER + "#$upgrade_from \"4.6\" anytime\n", 4, 1,
                        "found directive '#$upgrade_from' before #$upgrade, expected #$upgrade first"),
                c("unquoted upgrade version", HEADER + "#$upgrade\n#$upgrade_from 4.6 anytime\n", 5, 16,
                        "found '4.6', expected a quoted version such as \"1.0\" after #$upgrade_from"),
                c("bad upgrade tunability", HEADER + "#$upgrade\n#$upgrade_from \"4.6\" sometimes\n", 5, 22,
                        "found 'sometimes', expected anytime, when_unmonitored, when_offline or when_unmanaged"),
                c("missing upgrade tunability", HEADER + "#$upgrade\n#$upgrade_from \"4.6\"\n", 5, 21,
                        "found end of line, expected anytime, when_unmonitored, when_offline or when_unmanaged"),
                c("unterminated upgrade version", HEADER + "#$upgrade\n#$upgrade_from \"4.6 anytime\n", 5, 16,
                        "found unterminated quoted value, expected '\"' before the end of the line"),
                c("text after #$upgrade", HEADER + "#$upgrade now\n", 4, 11,
                        "found 'now', expected end of line after #$upgrade"),
                c("duplicate #$upgrade", HEADER + "#$upgrade\n#$UPGRADE\n", 5, 1,
                        "duplicate #$upgrade directive (first at 4:1); expected #$upgrade once"),
                c("duplicate upgrade version",
                        HEADER + "#$upgrade\n#$upgrade_from \"1.0\" anytime\n#$upgrade_from \"1.0\" when_offline\n", 6,
                        16, "duplicate #$upgrade_from for version \"1.0\" (first at 5:16); expected each version once"),

                // paramtable syntax
                c("PROPERTY not first", HEADER + "{\n  DEFAULT = 1;\n  PROPERTY = Retry_count;\n}\n", 5, 3,
                        "found 'DEFAULT', expected PROPERTY = <name>; as the first attribute of the entry"),
                c("empty entry", HEADER + "{ }\n", 4, 3,
                        "found '}', expected PROPERTY = <name>; as the first attribute of the entry"),
                c("end of file inside an entry", HEADER + "{\n\tPROPERTY = p;\n\tEXTENSION;\n\tINT;\n", 8, 1,
                        "found end of file, expected an attribute or '}' to close the entry opened at 4:1"),
                c("unterminated entry", HEADER + "{\n  PROPERTY = a;\n  EXTENSION; INT;\n{\n  PROPERTY = b;\n}\n", 7,
                        1, "found '{', expected an attribute or '}' to close the entry opened at 4:1"),
                c("missing semicolon in an entry",
                        HEADER + "{\n\tPROPERTY = Start_timeout;\n\tMIN = 60\n\tDEFAULT = 300;\n}\n", 7, 2,
                        "found 'DEFAULT', expected ';'"),
                c("missing semicolon after a list", ext("STRINGARRAY", "DEFAULT = a, b", "}"), 9, 2,
                        "found '}', expected ',' or ';'"),
                c("unknown attribute", ext("INT", "DEFALT = 1;"), 8, 2,
                        "found unknown attribute 'DEFALT', expected one of EXTENSION, STRING, BOOLEAN, INT, ENUM,"
                                + " ENUMLIST, STRINGARRAY, DEFAULT, MIN, MAX, MINLENGTH, MAXLENGTH, ARRAY_MINSIZE,"
                                + " ARRAY_MAXSIZE, TUNABLE, DESCRIPTION, PER_NODE or '}'"),
                c("duplicate property entry", HEADER + "{ PROPERTY = Retry_count; }\n{ PROPERTY = RETRY_COUNT; }\n", 5,
                        14, "duplicate entry for property RETRY_COUNT (first at 4:14); expected each property"
                                + " declared once"),
                c("duplicate attribute", HEADER + "{ PROPERTY = Retry_count; MAX = 3; MAX = 4; }\n", 4, 36,
                        "duplicate attribute MAX in the entry for Retry_count (first at 4:27); expected each"
                                + " attribute once"),
                c("PROPERTY twice", HEADER + "{ PROPERTY = a; PROPERTY = b; }\n", 4, 17,
                        "duplicate attribute PROPERTY in the entry for a (first at 4:3); expected each attribute"
                                + " once"),
                c("second type", ext("INT", "STRING;"), 8, 2,
                        "second type STRING for property Foo (already INT at 7:2); expected one type per property"),
                c("type keyword with a value", ext("INT = 3"), 7, 6, "found '=', expected ';' after INT"),
                c("MIN not an integer", HEADER + "{\n\tPROPERTY = Start_timeout;\n\tMIN = sixty;\n}\n", 6, 8,
                        "found 'sixty', expected an integer for MIN"),
                c("MAXLENGTH negative", ext("STRING", "MAXLENGTH = -1;"), 8, 14,
                        "found '-1', expected a non-negative integer for MAXLENGTH"),
                c("bad TUNABLE", ext("INT", "TUNABLE = SOMETIMES;"), 8, 12,
                        "found 'SOMETIMES', expected NONE, FALSE, TRUE, ANYTIME, AT_CREATION or WHEN_DISABLED"),
                c("bad EXTENSION value", HEADER + "{ PROPERTY = a; EXTENSION = yes; }\n", 4, 29,
                        "found 'yes', expected TRUE or FALSE for EXTENSION"),
                c("ENUM without closing brace", ext("ENUM { a, b ;"), 7, 14, "found ';', expected ',' or '}'"),
                c("ENUM without braces", ext("ENUM a, b"), 7, 7, "found 'a', expected '{' after ENUM"),
                c("empty ENUM", ext("ENUM { }"), 7, 9, "found '}', expected an enum value"),
                c("duplicate ENUM value", ext("ENUM { a, b, A }"), 7, 15,
                        "duplicate enum value A (first at 7:9); expected each value once"),

                // semantic checks of entries
                c("type on a system property", HEADER + "{\n\tPROPERTY = Retry_count;\n\tINT;\n}\n", 6, 2,
                        "type INT given for system-defined property Retry_count; expected EXTENSION, or no type"
                                + " keyword (a system-defined property's type is fixed)"),
                c("extension without type", HEADER + "{\n\tPROPERTY = Foo;\n\tEXTENSION;\n}\n", 5, 13,
                        "extension property Foo has no type; expected one of STRING, BOOLEAN, INT, ENUM { ... } or"
                                + " STRINGARRAY"),
                c("MIN on a STRING", ext("STRING", "MIN = 1;"), 8, 2,
                        "MIN given for STRING property Foo; expected MIN only on INT properties"),
                c("MINLENGTH on an INT", ext("INT", "MINLENGTH = 1;"), 8, 2,
                        "MINLENGTH given for INT property Foo; expected MINLENGTH only on STRING or STRINGARRAY"
                                + " properties"),
                c("ARRAY_MAXSIZE on a STRING", ext("STRING", "ARRAY_MAXSIZE = 3;"), 8, 2,
                        "ARRAY_MAXSIZE given for STRING property Foo; expected ARRAY_MAXSIZE only on STRINGARRAY"
                                + " properties"),
                c("MAX below MIN", ext("INT", "MIN = 5;", "MAX = 1;"), 9, 2,
                        "MAX 1 is less than MIN 5 for property Foo; expected MAX of at least MIN"),
                c("MAX on a method timeout", HEADER + "{\n\tPROPERTY = Start_timeout;\n\tMAX = 600;\n}\n", 6, 2,
                        "MAX given for method timeout Start_timeout; expected no MAX on a method timeout"),
                c("MIN = 0 on a method timeout", HEADER + "{\n\tPROPERTY = stop_TIMEOUT;\n\tMIN = 0;\n}\n", 6, 2,
                        "MIN = 0 given for method timeout stop_TIMEOUT; expected a MIN of at least 1"),
                c("PER_NODE without DEFAULT", ext("STRING", "PER_NODE;"), 8, 2,
                        "PER_NODE property Foo has no DEFAULT; expected a DEFAULT value"),
                c("PER_NODE on a system property", HEADER + "{ PROPERTY = Retry_count; PER_NODE; DEFAULT = 1; }\n",
                        4, 27, "PER_NODE given for system-defined property Retry_count; expected PER_NODE only on"
                                + " extension properties"),
                c("INT default not an integer", ext("INT", "DEFAULT = abc;"), 8, 12,
                        "found 'abc', expected an integer DEFAULT for Foo"),
                c("INT default below MIN", ext("INT", "MIN = 2;", "DEFAULT = 1;"), 9, 12,
                        "DEFAULT 1 of Foo is less than MIN 2; expected a DEFAULT within MIN and MAX"),
                c("INT default above MAX", ext("INT", "MAX = 10;", "DEFAULT = 11;"), 9, 12,
                        "DEFAULT 11 of Foo is greater than MAX 10; expected a DEFAULT within MIN and MAX"),
                c("system INT default above MAX", HEADER + "{ PROPERTY = Retry_count; MAX = 10; DEFAULT = 20; }\n", 4,
                        47, "DEFAULT 20 of Retry_count is greater than MAX 10; expected a DEFAULT within MIN and MAX"),
                c("empty INT default", ext("INT", "DEFAULT = \"\";"), 8, 2,
                        "empty DEFAULT for INT property Foo; expected an integer"),
                c("missing BOOLEAN default", ext("BOOLEAN", "DEFAULT = ;"), 8, 2,
                        "empty DEFAULT for BOOLEAN property Foo; expected TRUE or FALSE"),
                c("bad BOOLEAN default", ext("BOOLEAN", "DEFAULT = yes;"), 8, 12,
                        "found 'yes', expected TRUE or FALSE as DEFAULT for Foo"),
                c("ENUM default not a value", ext("ENUM { Timeout, Auto, Cluster }", "DEFAULT = \"Never\";"), 8, 12,
                        "found \"Never\", expected one of Timeout, Auto, Cluster as DEFAULT for Foo"),
                c("empty ENUM default", ext("ENUM { a, b }", "DEFAULT = \"\";"), 8, 2,
                        "empty DEFAULT for ENUM property Foo; expected one of a, b"),
                c("list default for a STRING", ext("STRING", "DEFAULT = a, b;"), 8, 15,
                        "found a second value 'b', expected a single DEFAULT for STRING property Foo"),
                c("bad Failover_mode default", HEADER + "{ PROPERTY = Failover_mode; DEFAULT = SOMETIMES; }\n", 4, 39,
                        "found 'SOMETIMES', expected one of NONE, SOFT, HARD, RESTART_ONLY, LOG_ONLY as DEFAULT for"
                                + " Failover_mode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsLineColumnAndMessage(String name, String text, int line, int column, String detail) {
        RtrException e = assertThrows(RtrException.class, () -> RtrParser.parse("t.rtr", text));
        assertEquals("t.rtr:" + line + ":" + column + ": " + detail, e.getMessage());
        assertEquals("t.rtr", e.source());
        assertEquals(line, e.line());
        assertEquals(column, e.column());
        assertEquals(detail, e.detail());
    }

    @Test
    void crlfLineEndingsGiveTheSamePositions() {
        String text = "RESOURCE_TYPE = x;\r\nSTART = s;\r\nSTOP = t;\r\n{\r\n\tPROPERTY = Start_timeout;\r\n"
                + "\tMIN = sixty;\r\n}\r\n";
        RtrException e = assertThrows(RtrException.class, () -> RtrParser.parse("crlf.rtr", text));
        assertEquals("crlf.rtr:6:8: found 'sixty', expected an integer for MIN", e.getMessage());
    }

    @Test
    void fileErrorsNameThePath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("SUNW.bad.rtr");
        Files.writeString(file, "RESOURCE_TYPE = bad;\nSTART = s;\n");
        RtrException e = assertThrows(RtrException.class, () -> RtrParser.parse(file));
        assertEquals(file.toString(), e.source());
        assertEquals(file + ":1:1: resource type bad declares no stop method; expected a Stop or Postnet_stop method",
                e.getMessage());
    }

    @Test
    void firstErrorInFileOrderWins() {
        String text = HEADER + "VENDOR_ID = a b;\nRT_DESCRIPTION = \"unterminated\n";
        RtrException e = assertThrows(RtrException.class, () -> RtrParser.parse("t.rtr", text));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().endsWith("found 'b', expected ';'"), e.getMessage());
    }
}
