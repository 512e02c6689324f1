import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local as local/dynamodb-local.ts runs it: its own server, bound to 127.0.0.1 only (DynamoDB Local
 * has no option for that; it listens on every interface), and ended as soon as its standard input closes,
 * which happens when the process that started it exits in any way, `kill -9` included.
 * Run as a single-file program: java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java <DynamoDB Local options>
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(LoopbackDynamoDbLocal::haltWhenParentGoes, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
  }

  /** The parent holds the write end of our standard input; end of input means it is gone. */
  private static void haltWhenParentGoes() {
    try {
      while (System.in.read() != -1) {
        // Nothing is ever sent; any bytes are ignored.
      }
    } catch (Exception ignored) {
      // A broken pipe means the same as end of input.
    }
    Runtime.getRuntime().halt(0);
  }
}
