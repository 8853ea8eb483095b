package org.apache.texera.gateway;

import java.util.Arrays;

import org.apache.texera.gateway.render.RenderCommand;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Runs the operator, or with {@code render ...} prints a topology without starting it or touching a cluster. */
@QuarkusMain
public class Main {
    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("render")) {
            System.exit(RenderCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err));
        }
        Quarkus.run(args);
    }
}
