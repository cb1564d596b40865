package org.vaespark.prep.pickle;

import static org.vaespark.prep.pickle.Opcodes.*;

import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vaespark.core.errors.VaeException;

/**
 * Reads one Python pickle (protocols 0 to 5) without executing anything: the pickle virtual
 * machine of CPython's {@code Lib/pickle.py} restricted to data. Protocol 2 is PEP 307, protocol 4
 * (FRAME, STACK_GLOBAL, MEMOIZE) PEP 3154, protocol 5 (BYTEARRAY8, out-of-band buffers) PEP 574.
 *
 * <p>Values: dict → {@link LinkedHashMap}; list and tuple → {@link List}; set → {@link Set};
 * Python 3 str → {@link String}; Python 2 str and bytes → {@code byte[]}; int → {@link Long}
 * (BigInteger only when it does not fit); float → {@link Double}; bool; None → null; numpy arrays
 * → {@link NdArray}. A global is only accepted when it is one of the few numpy and codec functions
 * in {@link AllowedGlobal}, implemented in Java by {@link NumpyCalls}; any other class or function
 * (the classic {@code __reduce__} attack), persistent ids and extension codes are rejected with
 * a {@link VaeException} before anything is built.
 */
public final class SafeUnpickler {
    private static final int HIGHEST_PROTOCOL = 5;

    private final PickleInput in;
    private final String name;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long op;

    private SafeUnpickler(InputStream in, String name) {
        this.in = new PickleInput(in, name);
        this.name = name;
    }

    /** Parses one pickle (protocols 0-5) from the stream; name is used in error messages. */
    public static Object load(InputStream in, String name) {
        return new SafeUnpickler(in, name).run();
    }

    private Object run() {
        while (true) {
            op = in.offset();
            int code = in.opcode();
            if (code < 0) {
                throw PickleErrors.corrupt(name, op, op == 0 ? "the file is empty"
                        : "the pickle ends early (truncated file): no STOP opcode");
            }
            if (code == STOP) {
                Object result = pop();
                return checked(result);
            }
            step(code);
        }
    }

    private void step(int code) {
        switch (code) {
            case PROTO -> {
                int v = in.u8();
                if (v > HIGHEST_PROTOCOL) {
                    throw PickleErrors.unsupported(name, op, "the pickle uses protocol " + v + " (at most "
                            + HIGHEST_PROTOCOL + " is known)");
                }
            }
            case FRAME -> in.s64();
            case MARK -> marks.add(stack.size());
            case POP -> {
                if (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size()) {
                    popMark();
                } else {
                    pop();
                }
            }
            case POP_MARK -> popMark();
            case DUP -> push(peek());
            case NONE -> push(null);
            case NEWTRUE -> push(Boolean.TRUE);
            case NEWFALSE -> push(Boolean.FALSE);
            case BININT -> push((long) in.s32());
            case BININT1 -> push((long) in.u8());
            case BININT2 -> push((long) in.u16());
            case LONG1 -> push(TextValues.littleEndianSigned(in.bytes(in.u8())));
            case LONG4 -> push(TextValues.littleEndianSigned(in.bytes(length(in.s32()))));
            case INT -> push(text(() -> TextValues.parseInt(ascii(in.line()))));
            case LONG -> push(text(() -> TextValues.parseLong(ascii(in.line()))));
            case FLOAT -> push(text(() -> TextValues.parseFloat(ascii(in.line()))));
            case BINFLOAT -> push(in.f64BigEndian());
            case STRING -> push(text(() -> TextValues.quotedBytes(in.line())));
            case BINSTRING -> push(in.bytes(length(in.s32())));
            case SHORT_BINSTRING -> push(in.bytes(in.u8()));
            case UNICODE -> push(text(() -> TextValues.rawUnicodeEscape(in.line())));
            case BINUNICODE -> push(utf8(in.bytes(in.u32())));
            case SHORT_BINUNICODE -> push(utf8(in.bytes(in.u8())));
            case BINUNICODE8 -> push(utf8(in.bytes(in.s64())));
            case BINBYTES -> push(in.bytes(in.u32()));
            case SHORT_BINBYTES -> push(in.bytes(in.u8()));
            case BINBYTES8, BYTEARRAY8 -> push(in.bytes(in.s64()));
            case EMPTY_DICT -> push(new LinkedHashMap<>());
            case EMPTY_LIST -> push(new ArrayList<>());
            case EMPTY_TUPLE -> push(List.of());
            case EMPTY_SET -> push(new LinkedHashSet<>());
            case TUPLE1 -> push(tuple(popN(1)));
            case TUPLE2 -> push(tuple(popN(2)));
            case TUPLE3 -> push(tuple(popN(3)));
            case TUPLE -> push(tuple(popMark()));
            case LIST -> push(new ArrayList<>(popMark()));
            case DICT -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                putAll(d, popMark());
                push(d);
            }
            case FROZENSET -> push(Collections.unmodifiableSet(addAll(new LinkedHashSet<>(), popMark())));
            case APPEND -> {
                Object v = pop();
                listAt(peek()).add(value(v));
            }
            case APPENDS -> {
                List<Object> items = popMark();
                listAt(peek()).addAll(values(items));
            }
            case ADDITEMS -> {
                List<Object> items = popMark();
                addAll(setAt(peek()), items);
            }
            case SETITEM -> {
                Object v = pop();
                Object k = pop();
                putAll(dictAt(peek()), Arrays.asList(k, v));
            }
            case SETITEMS -> {
                List<Object> items = popMark();
                putAll(dictAt(peek()), items);
            }
            case PUT -> memoize(text(() -> Long.parseLong(ascii(in.line()).strip())));
            case BINPUT -> memoize(in.u8());
            case LONG_BINPUT -> memoize(in.u32());
            case MEMOIZE -> memoize(memo.size());
            case GET -> recall(text(() -> Long.parseLong(ascii(in.line()).strip())));
            case BINGET -> recall(in.u8());
            case LONG_BINGET -> recall(in.u32());
            case GLOBAL -> push(global(utf8(in.line()), utf8(in.line())));
            case STACK_GLOBAL -> {
                Object qual = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(qual instanceof String q)) {
                    throw PickleErrors.corrupt(name, op, "STACK_GLOBAL needs two strings, found "
                            + Pickles.describe(module) + " and " + Pickles.describe(qual));
                }
                push(global(m, q));
            }
            case REDUCE -> {
                Object args = pop();
                Object callable = pop();
                push(reduce(callable, args));
            }
            case BUILD -> build();
            case INST -> {
                String module = utf8(in.line());
                throw PickleErrors.forbiddenGlobal(name, op, module, utf8(in.line()));
            }
            case OBJ -> {
                List<Object> args = popMark();
                throw forbiddenCall(args.isEmpty() ? null : args.get(0), "OBJ");
            }
            case NEWOBJ, NEWOBJ_EX -> {
                popN(code == NEWOBJ ? 1 : 2);
                throw forbiddenCall(pop(), code == NEWOBJ ? "NEWOBJ" : "NEWOBJ_EX");
            }
            case PERSID, BINPERSID -> throw PickleErrors.forbiddenGlobal(name, op, "persistent_load",
                    "(a persistent id, " + (code == PERSID ? "PERSID" : "BINPERSID") + ")");
            case EXT1, EXT2, EXT4 -> throw PickleErrors.forbiddenGlobal(name, op, "copyreg",
                    "(an extension-registry code, EXT" + (code == EXT1 ? 1 : code == EXT2 ? 2 : 4) + ")");
            case NEXT_BUFFER, READONLY_BUFFER -> throw PickleErrors.unsupported(name, op,
                    "the pickle refers to an out-of-band buffer (protocol 5 " + (code == NEXT_BUFFER ? "NEXT_BUFFER"
                            : "READONLY_BUFFER") + "); only in-band data can be read from a file");
            default -> throw PickleErrors.corrupt(name, op, "unknown pickle opcode " + Opcodes.describe(code));
        }
    }

    private Object global(String module, String qualname) {
        AllowedGlobal g = AllowedGlobal.lookup(module, qualname);
        if (g == null) {
            throw PickleErrors.forbiddenGlobal(name, op, module, qualname);
        }
        return g;
    }

    private Object reduce(Object callable, Object args) {
        if (!(callable instanceof AllowedGlobal g)) {
            throw forbiddenCall(callable, "REDUCE");
        }
        if (!(args instanceof List<?> a)) {
            throw PickleErrors.corrupt(name, op, "REDUCE arguments are " + Pickles.describe(args) + ", expected a tuple");
        }
        return NumpyCalls.reduce(g, a, new NumpyCalls.Site(name, op));
    }

    private void build() {
        Object state = pop();
        Object target = pop();
        Object built = NumpyCalls.build(target, value(state), new NumpyCalls.Site(name, op));
        for (long key : ((NumpyCalls.Pending) target).memoKeys) {
            memo.put(key, built);
        }
        push(built);
    }

    private VaeException forbiddenCall(Object callable, String opcodeName) {
        if (callable instanceof AllowedGlobal g) {
            return PickleErrors.forbiddenGlobal(name, op, g.module(), g.qualname() + " (through " + opcodeName + ")");
        }
        return PickleErrors.corrupt(name, op, opcodeName + " calls " + Pickles.describe(callable)
                + ", which is not a class or function");
    }

    private void memoize(long key) {
        Object v = peek();
        memo.put(key, v);
        if (v instanceof NumpyCalls.Pending p) {
            p.memoKeys.add(key);
        }
    }

    private void recall(long key) {
        if (!memo.containsKey(key)) {
            throw PickleErrors.corrupt(name, op, "memo key " + key + " is read before it is written");
        }
        push(memo.get(key));
    }

    private void putAll(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw PickleErrors.corrupt(name, op, "a dict is given an odd number (" + items.size() + ") of keys and values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object k = value(items.get(i));
            if (k instanceof Map || k instanceof ArrayList || k instanceof LinkedHashSet || k instanceof NdArray) {
                throw PickleErrors.corrupt(name, op, "a dict key is " + Pickles.describe(k) + ", which Python cannot hash");
            }
            d.put(k, value(items.get(i + 1)));
        }
    }

    private <T extends Set<Object>> T addAll(T set, List<Object> items) {
        for (Object x : items) {
            set.add(value(x));
        }
        return set;
    }

    /** A value going into a container: never a global or a numpy object still waiting for BUILD. */
    private Object value(Object v) {
        if (v instanceof AllowedGlobal || v instanceof NumpyCalls.Pending) {
            throw PickleErrors.unsupported(name, op, "the pickle stores " + Pickles.describe(v) + " as a value");
        }
        return v;
    }

    private List<Object> values(List<Object> items) {
        for (Object x : items) {
            value(x);
        }
        return items;
    }

    private Object checked(Object result) {
        if (result instanceof NumpyCalls.Dtype) {
            throw PickleErrors.unsupported(name, op, "the pickle holds a bare numpy dtype");
        }
        return value(result);
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    @SuppressWarnings("unchecked")
    private List<Object> listAt(Object v) {
        if (v instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw PickleErrors.corrupt(name, op, "APPEND targets " + Pickles.describe(v) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictAt(Object v) {
        if (v instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw PickleErrors.corrupt(name, op, "SETITEM targets " + Pickles.describe(v) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private Set<Object> setAt(Object v) {
        if (v instanceof LinkedHashSet<?> s) {
            return (Set<Object>) s;
        }
        throw PickleErrors.corrupt(name, op, "ADDITEMS targets " + Pickles.describe(v) + ", not a set");
    }

    private void push(Object v) {
        stack.add(v);
    }

    private Object pop() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw PickleErrors.corrupt(name, op, "stack underflow: the opcode needs a value and the "
                    + (floor == 0 ? "stack" : "current mark") + " is empty");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        Object v = pop();
        stack.add(v);
        return v;
    }

    private List<Object> popN(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return Arrays.asList(items);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw PickleErrors.corrupt(name, op, "the opcode needs a MARK and there is none");
        }
        int at = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(at, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private long length(int declared) {
        if (declared < 0) {
            throw PickleErrors.corrupt(name, op, "an object declares a negative length (" + declared + ")");
        }
        return declared;
    }

    private String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw PickleErrors.corrupt(name, op, "a string is not valid UTF-8", e);
        }
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private <T> T text(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw PickleErrors.corrupt(name, op, "a protocol-0 text argument cannot be parsed: " + e.getMessage(), e);
        }
    }
}
