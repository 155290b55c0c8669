package dev.steward.core;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plain part of CEL evaluated straight on the variable maps, without CEL's runtime: literals, variables, field
 * selection and {@code has()}, map lookups by a string key, {@code &&}, {@code ||}, {@code !}, {@code ==}, {@code !=},
 * number comparisons, {@code -} on a number and {@code in} a list. A condition with anything else (arithmetic,
 * macros such as {@code exists}, functions, the conditional operator) has no direct form and is left to CEL.
 *
 * <p>Each part answers a value or {@link #UNKNOWN}: where CEL would fail (an absent field, a value of a type this does
 * not take, a NaN), or where this does not know what CEL would answer. {@code &&} and {@code ||} are decided as CEL
 * decides them, whichever side is unknown ({@code false && x} is false, {@code true || x} true). An unknown outcome
 * is decided by CEL itself (see {@link Conditions.Compiled#evaluate}): a true or false answered here is CEL's, and
 * whatever this cannot decide costs one CEL evaluation, with CEL's own error.
 */
final class DirectConditions {

    /** Where CEL would fail, or where this does not know what CEL would answer. */
    static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "unknown";
        }
    };

    /** One part of a condition, evaluated on the variables. */
    @FunctionalInterface
    interface Part {
        Object value(Map<String, Object> variables);
    }

    private DirectConditions() {}

    /** The condition's direct form, or {@code null} when it has a part this does not evaluate. */
    static Part of(CelExpr expr) {
        try {
            return part(expr);
        } catch (Unsupported e) {
            return null;
        }
    }

    /** A part this does not evaluate: the condition is left to CEL. */
    private static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static Part part(CelExpr expr) throws Unsupported {
        switch (expr.getKind()) {
            case CONSTANT -> {
                Object value = constant(expr.constant());
                return variables -> value;
            }
            case IDENT -> {
                String name = expr.ident().name();
                return variables -> {
                    Object value = variables.get(name);
                    return value == null ? UNKNOWN : value;
                };
            }
            case SELECT -> {
                Part operand = part(expr.select().operand());
                String field = expr.select().field();
                if (expr.select().testOnly()) {
                    return variables -> operand.value(variables) instanceof Map<?, ?> map
                            ? Boolean.valueOf(map.containsKey(field))
                            : UNKNOWN;
                }
                return variables -> field(operand.value(variables), field);
            }
            case LIST -> {
                if (!expr.list().optionalIndices().isEmpty()) {
                    throw new Unsupported();
                }
                List<Part> elements = new ArrayList<>();
                boolean literal = true;
                for (CelExpr element : expr.list().elements()) {
                    elements.add(part(element));
                    literal &= element.getKind() == CelExpr.ExprKind.Kind.CONSTANT;
                }
                if (literal) {
                    // A list of literals, such as the right of `in`, is made once.
                    List<Object> values = new ArrayList<>();
                    for (Part element : elements) {
                        values.add(element.value(Map.of()));
                    }
                    List<Object> constant = List.copyOf(values);
                    return variables -> constant;
                }
                return variables -> {
                    List<Object> values = new ArrayList<>(elements.size());
                    for (Part element : elements) {
                        Object value = element.value(variables);
                        if (value == UNKNOWN) {
                            return UNKNOWN;
                        }
                        values.add(value);
                    }
                    return values;
                };
            }
            case CALL -> {
                return call(expr.call());
            }
            default -> throw new Unsupported();
        }
    }

    private static Part call(CelExpr.CelCall call) throws Unsupported {
        if (call.target().isPresent()) {
            throw new Unsupported();
        }
        List<Part> args = new ArrayList<>();
        for (CelExpr arg : call.args()) {
            args.add(part(arg));
        }
        switch (call.function()) {
            case "_&&_" -> {
                return variables -> and(args, variables);
            }
            case "_||_" -> {
                return variables -> or(args, variables);
            }
            case "!_" -> {
                Part operand = single(args);
                return variables -> operand.value(variables) instanceof Boolean b ? Boolean.valueOf(!b) : UNKNOWN;
            }
            case "-_" -> {
                Part operand = single(args);
                return variables -> {
                    Object value = operand.value(variables);
                    if (value instanceof Long l) {
                        return l == Long.MIN_VALUE ? UNKNOWN : (Object) (-l);
                    }
                    return value instanceof Double d ? (Object) (-d) : UNKNOWN;
                };
            }
            case "_==_" -> {
                Part left = first(args);
                Part right = args.get(1);
                return variables -> equal(left.value(variables), right.value(variables));
            }
            case "_!=_" -> {
                Part left = first(args);
                Part right = args.get(1);
                return variables -> {
                    Object equal = equal(left.value(variables), right.value(variables));
                    return equal instanceof Boolean b ? Boolean.valueOf(!b) : UNKNOWN;
                };
            }
            case "_<_", "_<=_", "_>_", "_>=_" -> {
                Part left = first(args);
                Part right = args.get(1);
                String operator = call.function();
                return variables -> {
                    Integer order = order(left.value(variables), right.value(variables));
                    if (order == null) {
                        return UNKNOWN;
                    }
                    return switch (operator) {
                        case "_<_" -> order < 0;
                        case "_<=_" -> order <= 0;
                        case "_>_" -> order > 0;
                        default -> order >= 0;
                    };
                };
            }
            case "@in" -> {
                Part element = first(args);
                Part list = args.get(1);
                return variables -> in(element.value(variables), list.value(variables));
            }
            case "_[_]" -> {
                Part operand = first(args);
                Part key = args.get(1);
                return variables ->
                        key.value(variables) instanceof String k ? field(operand.value(variables), k) : UNKNOWN;
            }
            default -> throw new Unsupported();
        }
    }

    private static Part single(List<Part> args) throws Unsupported {
        if (args.size() != 1) {
            throw new Unsupported();
        }
        return args.get(0);
    }

    private static Part first(List<Part> args) throws Unsupported {
        if (args.size() != 2) {
            throw new Unsupported();
        }
        return args.get(0);
    }

    /** A literal as the variables hold values: booleans, whole numbers as long, other numbers as double, strings. */
    private static Object constant(CelConstant constant) throws Unsupported {
        return switch (constant.getKind()) {
            case BOOLEAN_VALUE -> constant.booleanValue();
            case INT64_VALUE -> constant.int64Value();
            case DOUBLE_VALUE -> constant.doubleValue();
            case STRING_VALUE -> constant.stringValue();
            default -> throw new Unsupported();
        };
    }

    /** A field of a record, or a map's value by key; unknown when absent, as CEL fails on it. */
    private static Object field(Object operand, String field) {
        if (!(operand instanceof Map<?, ?> map)) {
            return UNKNOWN;
        }
        Object value = map.get(field);
        return value == null ? UNKNOWN : value;
    }

    /** CEL's {@code &&}: false when any side is false, whatever the others; true when all are; unknown otherwise. */
    private static Object and(List<Part> args, Map<String, Object> variables) {
        boolean unknown = false;
        for (Part arg : args) {
            Object value = arg.value(variables);
            if (Boolean.FALSE.equals(value)) {
                return Boolean.FALSE;
            }
            if (!Boolean.TRUE.equals(value)) {
                unknown = true;
            }
        }
        return unknown ? UNKNOWN : Boolean.TRUE;
    }

    /** CEL's {@code ||}: true when any side is true, whatever the others; false when all are; unknown otherwise. */
    private static Object or(List<Part> args, Map<String, Object> variables) {
        boolean unknown = false;
        for (Part arg : args) {
            Object value = arg.value(variables);
            if (Boolean.TRUE.equals(value)) {
                return Boolean.TRUE;
            }
            if (!Boolean.FALSE.equals(value)) {
                unknown = true;
            }
        }
        return unknown ? UNKNOWN : Boolean.FALSE;
    }

    /**
     * Equality of two strings, two booleans or two numbers (a long and a double compare as numbers, as CEL's
     * heterogeneous comparisons do); unknown for anything else, NaN included.
     */
    private static Object equal(Object left, Object right) {
        if (left instanceof String || left instanceof Boolean) {
            return left.getClass() == right.getClass() ? (Object) left.equals(right) : UNKNOWN;
        }
        Integer order = order(left, right);
        return order == null ? UNKNOWN : (Object) (order == 0);
    }

    /** The order of two numbers (longs or doubles, not NaN); {@code null} for anything else. */
    private static Integer order(Object left, Object right) {
        if (left instanceof Long a && right instanceof Long b) {
            return Long.compare(a, b);
        }
        if (left instanceof Double a && right instanceof Double b) {
            return a.isNaN() || b.isNaN() ? null : Double.compare(a == 0.0 ? 0.0 : a, b == 0.0 ? 0.0 : b);
        }
        if (left instanceof Long a && right instanceof Double b) {
            return mixed(a, b);
        }
        if (left instanceof Double a && right instanceof Long b) {
            Integer order = mixed(b, a);
            return order == null ? null : -order;
        }
        return null;
    }

    /** A long against a double, exactly. */
    private static Integer mixed(long a, double b) {
        if (Double.isNaN(b)) {
            return null;
        }
        if (Double.isInfinite(b)) {
            return b > 0 ? -1 : 1;
        }
        return BigDecimal.valueOf(a).compareTo(new BigDecimal(b));
    }

    /** Whether the value is in the list, by the equality above; unknown when any element cannot be compared. */
    private static Object in(Object element, Object list) {
        if (element == UNKNOWN || !(list instanceof List<?> values)) {
            return UNKNOWN;
        }
        boolean unknown = false;
        for (Object value : values) {
            Object equal = equal(element, value);
            if (Boolean.TRUE.equals(equal)) {
                return Boolean.TRUE;
            }
            if (equal == UNKNOWN) {
                unknown = true;
            }
        }
        return unknown ? UNKNOWN : Boolean.FALSE;
    }
}
