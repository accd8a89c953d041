package nexus.bench;

/** What the load tools' option parsers share: an option's value, and a whole number with a floor. */
public final class Arguments {

    private Arguments() {
    }

    /**
     * @return the value after option {@code args[i]}
     * @throws IllegalArgumentException when there is none, or the next word is an option itself
     */
    public static String value(String[] args, int i) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    /**
     * @return {@code text} as a whole number of at least {@code least}
     * @throws IllegalArgumentException naming the option when it is not one
     */
    public static int number(String option, String text, int least) {
        String wrong = option + " '" + text + "' is not a whole number of at least " + least;
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(wrong, e);
        }
        if (value < least) {
            throw new IllegalArgumentException(wrong);
        }
        return value;
    }
}
