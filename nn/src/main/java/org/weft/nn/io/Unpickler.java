package org.weft.nn.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine for the opcodes {@code torch.save} writes for state dicts and
 * checkpoints; it builds plain Java values and never runs code.
 *
 * <p>Python values become: int as {@link Long} (or {@link BigInteger} beyond 64 bits), float
 * as {@link Double}, bool as {@link Boolean}, str as {@link String}, None as {@code null},
 * dict as a {@link LinkedHashMap}, list as a mutable {@link List} and tuple as an
 * unmodifiable one. What a pickle would import and call (a {@code GLOBAL} followed by
 * {@code REDUCE}, {@code NEWOBJ} or {@code BUILD}, and persistent ids) is handed to a
 * {@link Resolver}, which decides what each means; here it stays a {@link Global} name.
 * Any other opcode is an error naming it, its byte offset and the source.
 */
final class Unpickler {

    /** A {@code module.name} a pickle refers to; never imported, only recognised by name. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** What the pickle's calls mean; torch's reader gives tensors, storages and ordered dicts. */
    interface Resolver {
        /** {@code callable(*args)} for REDUCE. */
        Object reduce(Object callable, List<Object> args, long offset) throws CheckpointFormatException;

        /** {@code cls.__new__(cls, *args)} for NEWOBJ. */
        Object newObject(Object cls, List<Object> args, long offset) throws CheckpointFormatException;

        /** {@code obj.__setstate__(state)} for BUILD; the object stays on the stack. */
        void build(Object obj, Object state, long offset) throws CheckpointFormatException;

        /** The object a BINPERSID id stands for (in torch, a storage in the archive). */
        Object persistentLoad(Object id, long offset) throws CheckpointFormatException;
    }

    /** The stack marker MARK pushes; TUPLE, DICT, SETITEMS and APPENDS pop down to it. */
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final String source;
    private final ByteBuffer in;
    private final Resolver resolver;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long opOffset;

    private Unpickler(String source, byte[] data, Resolver resolver) {
        this.source = source;
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.resolver = resolver;
    }

    /** Runs the pickle in {@code data} to its STOP and returns the value it leaves. */
    static Object load(String source, byte[] data, Resolver resolver) throws CheckpointFormatException {
        return new Unpickler(source, data, resolver).run();
    }

    private Object run() throws CheckpointFormatException {
        while (true) {
            if (!in.hasRemaining()) {
                throw error("the pickle ends at byte " + in.position() + " without a STOP opcode (truncated?)");
            }
            opOffset = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO: protocols 2 to 5 use only opcodes below
                    int protocol = u8();
                    if (protocol > 5) {
                        throw error("pickle protocol " + protocol + " is newer than 5");
                    }
                }
                case 0x95 -> int64("FRAME length"); // FRAME: a length hint for buffered reading
                case '.' -> { // STOP
                    if (stack.size() != 1) {
                        throw error("STOP with " + stack.size() + " values on the stack; expected 1");
                    }
                    return stack.get(0);
                }
                case '(' -> push(MARK);
                case '0' -> pop(); // POP
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case ')' -> push(Collections.unmodifiableList(new ArrayList<>())); // EMPTY_TUPLE
                case 't' -> push(Collections.unmodifiableList(popToMark())); // TUPLE
                case 0x85 -> push(tuple(1)); // TUPLE1
                case 0x86 -> push(tuple(2)); // TUPLE2
                case 0x87 -> push(tuple(3)); // TUPLE3
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putPairs(dict, popToMark());
                    push(dict);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dictOnTop("SETITEM").put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popToMark();
                    putPairs(dictOnTop("SETITEMS"), items);
                }
                case 'a' -> { // APPEND
                    Object value = pop();
                    listOnTop("APPEND").add(value);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popToMark();
                    listOnTop("APPENDS").addAll(items);
                }
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (need(2, "BININT2").getShort() & 0xffff)); // BININT2
                case 'J' -> push((long) need(4, "BININT").getInt()); // BININT
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(need(8, "BINFLOAT").order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT: big-endian
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'N' -> push(null); // NONE
                case 'X' -> push(utf8(int32("BINUNICODE length"))); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 'c' -> push(new Global(line(), line())); // GLOBAL: "module\nname\n"
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error("STACK_GLOBAL needs two strings, got " + describe(module) + " and " + describe(name));
                    }
                    push(new Global(m, n));
                }
                case 'R' -> { // REDUCE
                    List<Object> args = argsTuple("REDUCE");
                    push(resolver.reduce(pop(), args, opOffset));
                }
                case 0x81 -> { // NEWOBJ
                    List<Object> args = argsTuple("NEWOBJ");
                    push(resolver.newObject(pop(), args, opOffset));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    resolver.build(top("BUILD"), state, opOffset);
                }
                case 'Q' -> push(resolver.persistentLoad(pop(), opOffset)); // BINPERSID
                case 'q' -> memo.put((long) u8(), top("BINPUT")); // BINPUT
                case 'r' -> memo.put(uint32("LONG_BINPUT index"), top("LONG_BINPUT")); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), top("MEMOIZE")); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(uint32("LONG_BINGET index"))); // LONG_BINGET
                default -> throw error("unsupported pickle opcode " + opcodeName(op)
                        + "; Weft reads the subset torch.save writes for tensors, dicts, lists, numbers and strings");
            }
        }
    }

    // ---------------------------------------------------------------- stack

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws CheckpointFormatException {
        if (stack.isEmpty()) {
            throw error("the stack is empty");
        }
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) {
            throw error("found a MARK where a value was expected");
        }
        return o;
    }

    private Object top(String op) throws CheckpointFormatException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error(op + " needs a value on the stack");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark() throws CheckpointFormatException {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) {
            throw error("no MARK on the stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private List<Object> tuple(int n) throws CheckpointFormatException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        List<Object> list = new ArrayList<>(n);
        Collections.addAll(list, items);
        return Collections.unmodifiableList(list);
    }

    @SuppressWarnings("unchecked")
    private List<Object> argsTuple(String op) throws CheckpointFormatException {
        Object args = pop();
        if (!(args instanceof List)) {
            throw error(op + " needs an argument tuple, got " + describe(args));
        }
        return (List<Object>) args;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictOnTop(String op) throws CheckpointFormatException {
        Object top = top(op);
        if (!(top instanceof Map)) {
            throw error(op + " needs a dict below its items, got " + describe(top));
        }
        return (Map<Object, Object>) top;
    }

    @SuppressWarnings("unchecked")
    private List<Object> listOnTop(String op) throws CheckpointFormatException {
        Object top = top(op);
        if (!(top instanceof ArrayList)) {
            throw error(op + " needs a list below its items, got " + describe(top));
        }
        return (List<Object>) top;
    }

    private void putPairs(Map<Object, Object> dict, List<Object> items) throws CheckpointFormatException {
        if (items.size() % 2 != 0) {
            throw error("a dict needs key-value pairs, got " + items.size() + " items");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    private Object memoGet(long index) throws CheckpointFormatException {
        if (!memo.containsKey(index)) {
            throw error("memo entry " + index + " was never stored");
        }
        return memo.get(index);
    }

    // ---------------------------------------------------------------- operands

    private ByteBuffer need(int n, String what) throws CheckpointFormatException {
        if (in.remaining() < n) {
            throw error(what + " needs " + n + " bytes but the pickle ends (truncated?)");
        }
        ByteBuffer slice = in.slice().order(ByteOrder.LITTLE_ENDIAN).limit(n);
        in.position(in.position() + n);
        return slice;
    }

    private int u8() throws CheckpointFormatException {
        return need(1, "an operand").get() & 0xff;
    }

    private int int32(String what) throws CheckpointFormatException {
        int n = need(4, what).getInt();
        if (n < 0) {
            throw error(what + " is negative (" + n + ")");
        }
        return n;
    }

    private long uint32(String what) throws CheckpointFormatException {
        return need(4, what).getInt() & 0xffffffffL;
    }

    private long int64(String what) throws CheckpointFormatException {
        return need(8, what).getLong();
    }

    /** LONG1: a length byte, then that many bytes of little-endian two's complement. */
    private Object long1() throws CheckpointFormatException {
        int n = u8();
        byte[] le = new byte[n];
        need(n, "LONG1").get(le);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger value = new BigInteger(be);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private String utf8(int n) throws CheckpointFormatException {
        byte[] bytes = new byte[n];
        need(n, "a string").get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A newline-terminated ASCII line, as GLOBAL's module and name. */
    private String line() throws CheckpointFormatException {
        StringBuilder s = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) {
                throw error("GLOBAL's name runs past the end of the pickle (truncated?)");
            }
            byte b = in.get();
            if (b == '\n') {
                return s.toString();
            }
            s.append((char) (b & 0xff));
        }
    }

    // ---------------------------------------------------------------- errors

    /** An opcode as pickletools names it, where we know the name. */
    private static String opcodeName(int op) {
        String name = switch (op) {
            case 'I' -> "INT";
            case 'L' -> "LONG";
            case 0x8b -> "LONG4";
            case 'F' -> "FLOAT";
            case 'S' -> "STRING";
            case 'T' -> "BINSTRING";
            case 'U' -> "SHORT_BINSTRING";
            case 'V' -> "UNICODE";
            case 0x8d -> "BINUNICODE8";
            case 'B' -> "BINBYTES";
            case 'C' -> "SHORT_BINBYTES";
            case 0x8e -> "BINBYTES8";
            case 0x96 -> "BYTEARRAY8";
            case 'l' -> "LIST";
            case 'o' -> "OBJ";
            case 'i' -> "INST";
            case 0x92 -> "NEWOBJ_EX";
            case 'P' -> "PERSID";
            case 'p' -> "PUT";
            case 'g' -> "GET";
            case '2' -> "DUP";
            case '1' -> "POP_MARK";
            case 0x8f -> "EMPTY_SET";
            case 0x90 -> "ADDITEMS";
            case 0x91 -> "FROZENSET";
            case 0x97 -> "NEXT_BUFFER";
            case 0x98 -> "READONLY_BUFFER";
            case 0x82, 0x83, 0x84 -> "EXT" + (op == 0x82 ? 1 : op == 0x83 ? 2 : 4);
            default -> null;
        };
        String hex = String.format("0x%02x", op);
        return name == null ? hex : name + " (" + hex + ")";
    }

    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return "global " + g;
        }
        return o.getClass().getSimpleName() + " " + o;
    }

    private CheckpointFormatException error(String what) {
        return new CheckpointFormatException(source + ": byte " + opOffset + ": " + what);
    }
}
