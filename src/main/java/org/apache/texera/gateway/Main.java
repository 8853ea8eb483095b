package org.apache.texera.gateway;

import java.util.Arrays;

import org.apache.texera.gateway.config.ProcessLifecycle;
import org.apache.texera.gateway.render.RenderCommand;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Runs the operator, or with {@code render ...} prints a topology without starting it or touching a cluster. */
@QuarkusMain
public class Main {
    static final String USAGE = """
            usage: java -jar quarkus-run.jar                 run the operator (the kubeconfig or in-cluster account)
                   java -jar quarkus-run.jar render --help   print a TexeraGateway's objects without a cluster
            The operator's settings are texera.operator.* and quarkus.* properties, or their environment variables
            (README, Configuration).""";

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("render")) {
            System.exit(RenderCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err));
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            System.exit(0);
        }
        ProcessLifecycle.exitAtOnceOnSigtermWhileStarting();
        Quarkus.run(args);
    }
}
