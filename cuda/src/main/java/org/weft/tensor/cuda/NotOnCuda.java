package org.weft.tensor.cuda;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.weft.tensor.Device;

/**
 * A kernel family whose CUDA kernels are not wired yet: every call fails, naming the op,
 * rather than running on the CPU behind the user's back (a silent fallback would hide both
 * the missing kernel and the cost of two copies per op).
 */
final class NotOnCuda {

    private NotOnCuda() {
    }

    /** An implementation of {@code family} (e.g. ElementwiseKernels) in which every method throws. */
    static <T> T family(Class<T> family, String familyName, Device device) {
        Object proxy = Proxy.newProxyInstance(family.getClassLoader(), new Class<?>[] {family}, (self, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "toString" -> familyName + " on " + device + " (not yet implemented)";
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new IllegalStateException(m.getName());
                };
            }
            throw new UnsupportedOperationException(message(familyName, m, args, device));
        });
        return family.cast(proxy);
    }

    /**
     * The failure of one call of a wired family that its kernels do not cover (a dtype without
     * a kernel, an op native/ABI.md lists as not yet written): {@code op} as
     * "elementwise.binary(ADD)", {@code detail} as "for U8" or null.
     */
    static UnsupportedOperationException op(String op, String detail, Device device) {
        return new UnsupportedOperationException("not yet implemented on CUDA: " + op
                + (detail == null ? "" : " " + detail) + " on " + device
                + "; move the arrays to the CPU (toDevice(Device.CPU)) to run it there");
    }

    /** "not yet implemented on CUDA: elementwise.unary(RELU) on cuda:0; ...". */
    static String message(String familyName, Method m, Object[] args, Device device) {
        StringBuilder op = new StringBuilder(familyName).append('.').append(m.getName());
        // Enum arguments (UnaryOp.RELU, BinaryOp.ADD) say which op of a family was asked for.
        List<String> kinds = new ArrayList<>();
        if (args != null) {
            for (Object a : args) {
                if (a instanceof Enum<?> e) {
                    kinds.add(e.name());
                }
            }
        }
        if (!kinds.isEmpty()) {
            op.append('(').append(String.join(", ", kinds)).append(')');
        }
        return "not yet implemented on CUDA: " + op + " on " + device
                + "; move the arrays to the CPU (toDevice(Device.CPU)) to run it there";
    }
}
