import java.io.File;
import java.util.Arrays;
import org.web3j.codegen.SolidityFunctionWrapperGenerator;

/**
 * Generates a web3j wrapper for every contract compiled into IN (Name.abi + Name.bin), into OUT under
 * PACKAGE. Run by the Maven build as a single-file program with web3j codegen on the class path:
 * {@code java -cp <codegen> scripts/GenerateWrappers.java IN OUT PACKAGE}.
 */
public class GenerateWrappers {
    public static void main(String[] args) throws Exception {
        File in = new File(args[0]);
        File out = new File(args[1]);
        String pkg = args[2];
        File[] abis = in.listFiles((dir, name) -> name.endsWith(".abi"));
        if (abis == null || abis.length == 0) {
            throw new IllegalStateException("no .abi files in " + in + ": compile the contracts first");
        }
        Arrays.sort(abis);
        for (File abi : abis) {
            String name = abi.getName().substring(0, abi.getName().length() - ".abi".length());
            File bin = new File(in, name + ".bin");
            new SolidityFunctionWrapperGenerator(bin, abi, out, name, pkg, true, false, 20).generate();
        }
        System.out.println("web3j: " + abis.length + " wrappers generated in " + out);
    }
}
