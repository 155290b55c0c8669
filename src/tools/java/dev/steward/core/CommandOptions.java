package dev.steward.core;

import java.util.List;

/** Reads {@code --name value} and {@code --name=value} options given to a sub-command. */
public final class CommandOptions {

    private final List<String> arguments;

    public CommandOptions(List<String> arguments) {
        this.arguments = List.copyOf(arguments);
    }

    public String get(String name, String defaultValue) {
        String flag = "--" + name;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals(flag) && i + 1 < arguments.size()) {
                return arguments.get(i + 1);
            }
            if (argument.startsWith(flag + "=")) {
                return argument.substring(flag.length() + 1);
            }
        }
        return defaultValue;
    }

    public int getInt(String name, int defaultValue) {
        String value = get(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    public boolean has(String name) {
        return arguments.stream().anyMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="));
    }
}
