package org.weft.tensor.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernels native/ABI.md promises, read from its {@code kernel} lines (the same lines
 * native/tools/fatbin.py checks the built fat binary against): each concrete name, braces
 * expanded, with its parameter list resolved to the C types a launch must pass.
 */
final class AbiKernels {

    /** What one parameter is, as far as the bytes of a launch argument go. */
    enum Kind { POINTER, LONG, INT, FLOAT, DOUBLE, STRUCT }

    /** One parameter: its kind, its size in bytes (for STRUCT), its declaration in ABI.md. */
    record Param(Kind kind, int bytes, String declaration) {
    }

    private static final Pattern KERNEL = Pattern.compile("^\\s*kernel\\s+(weft_[\\w{},]+)\\((.*)\\)\\s*$");

    private static Map<String, List<Param>> kernels;

    private AbiKernels() {
    }

    /** Every kernel ABI.md names, with its parameters. */
    static synchronized Map<String, List<Param>> all() {
        if (kernels == null) {
            kernels = parse(abiPath());
        }
        return kernels;
    }

    static Path abiPath() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path abi = p.resolve("native").resolve("ABI.md");
            if (Files.isRegularFile(abi)) {
                return abi;
            }
        }
        throw new IllegalStateException("native/ABI.md not found above " + dir);
    }

    static Map<String, List<Param>> parse(Path abi) {
        Map<String, List<Param>> out = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(abi)) {
                Matcher m = KERNEL.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String[] decls = m.group(2).split(",\\s*");
                for (String name : expand(m.group(1))) {
                    List<Param> params = new ArrayList<>();
                    for (String d : decls) {
                        params.add(resolve(d.trim(), name));
                    }
                    if (out.put(name, params) != null) {
                        throw new IllegalStateException("ABI.md names " + name + " twice");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** "weft_x_{a,b}_{c,d}" to its four names. */
    static List<String> expand(String pattern) {
        int open = pattern.indexOf('{');
        if (open < 0) {
            return List.of(pattern);
        }
        int close = pattern.indexOf('}', open);
        List<String> out = new ArrayList<>();
        for (String alt : pattern.substring(open + 1, close).split(",")) {
            out.addAll(expand(pattern.substring(0, open) + alt + pattern.substring(close + 1)));
        }
        return out;
    }

    /**
     * A declaration such as "const T* x", "long long n", "WeftStrides x_desc", "S lo" or
     * "W value", for the concrete kernel {@code name}, whose last name part (f32, bf16, i64,
     * b4, nn...) fixes what T, S and W are (ABI.md, "Parameter types").
     */
    static Param resolve(String decl, String name) {
        String type = decl.substring(0, decl.lastIndexOf(' ')).replace("const ", "").trim();
        String last = name.substring(name.lastIndexOf('_') + 1);
        if (type.endsWith("*")) {
            return new Param(Kind.POINTER, 8, decl);
        }
        return switch (type) {
            case "long long", "unsigned long long" -> new Param(Kind.LONG, 8, decl);
            case "int" -> new Param(Kind.INT, 4, decl);
            case "float" -> new Param(Kind.FLOAT, 4, decl);
            case "double" -> new Param(Kind.DOUBLE, 8, decl);
            case "WeftStrides" -> new Param(Kind.STRUCT, 136, decl);
            case "WeftMmdKernels" -> new Param(Kind.STRUCT, 72, decl);
            case "W" -> new Param(Kind.STRUCT, Integer.parseInt(last.substring(1)), decl);
            case "S" -> switch (last) {
                case "f32", "bf16" -> new Param(Kind.FLOAT, 4, decl);
                case "f64" -> new Param(Kind.DOUBLE, 8, decl);
                case "i64", "i32" -> new Param(Kind.LONG, 8, decl);
                default -> throw new IllegalStateException("S of " + name);
            };
            case "T" -> switch (last) {
                case "f32" -> new Param(Kind.FLOAT, 4, decl);
                case "f64" -> new Param(Kind.DOUBLE, 8, decl);
                default -> throw new IllegalStateException("scalar T of " + name);
            };
            default -> throw new IllegalStateException("unknown parameter type '" + type + "' in " + name);
        };
    }

    /**
     * Null if {@code launch}'s arguments are what ABI.md declares for its kernel (count, order,
     * C type of each), else what differs.
     */
    static String mismatch(Launch launch) {
        List<Param> params = all().get(launch.kernel());
        if (params == null) {
            return "ABI.md names no kernel " + launch.kernel();
        }
        List<Object> args = launch.args();
        if (args.size() != params.size()) {
            return launch.kernel() + " takes " + params.size() + " parameters, the launch passes " + args.size();
        }
        for (int i = 0; i < args.size(); i++) {
            Param p = params.get(i);
            Object a = args.get(i);
            boolean ok = switch (p.kind()) {
                case POINTER -> a instanceof DevicePointer;
                case LONG -> a instanceof Long;
                case INT -> a instanceof Integer;
                case FLOAT -> a instanceof Float;
                case DOUBLE -> a instanceof Double;
                case STRUCT -> a instanceof byte[] b && b.length == p.bytes();
            };
            if (!ok) {
                return launch.kernel() + " parameter " + i + " '" + p.declaration() + "' got "
                        + (a instanceof byte[] b ? "byte[" + b.length + "]" : a == null ? "null" : a.getClass().getSimpleName() + " " + a);
            }
        }
        return null;
    }
}
