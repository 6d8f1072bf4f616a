import Docker from 'dockerode';

let client: Docker | undefined;

/**
 * Returns the process's one Docker client. Every Docker call the harness makes
 * itself goes through it; testcontainers keeps its own client for what it starts.
 * The socket comes from DOCKER_HOST when set, else /var/run/docker.sock.
 */
export function docker(): Docker {
  client ??= new Docker();
  return client;
}

/**
 * Sets the testcontainers variables this kind of host needs, unless the user set them.
 * A host with /.dockerenv makes testcontainers think it runs inside a container, so it would
 * look for the engine at the bridge gateway. The harness reaches containers directly instead.
 * Ryuk is off because its image would have to be pulled. The harness removes what it starts
 * by label instead (see runner/cleanup.ts).
 */
export function configureTestcontainers(environment: NodeJS.ProcessEnv = process.env): void {
  environment.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  environment.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

export interface EngineStatus {
  reachable: boolean;
  version?: string;
  apiVersion?: string;
  error?: string;
}

export async function probeEngine(client: Docker = docker()): Promise<EngineStatus> {
  try {
    const version = await client.version();
    return { reachable: true, version: version.Version, apiVersion: version.ApiVersion };
  } catch (error) {
    return { reachable: false, error: error instanceof Error ? error.message : String(error) };
  }
}
