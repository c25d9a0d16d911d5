/**
 * Browser consoles (US-019): console sessions for instances (VNC screen, container terminal, VM
 * serial port) and the authenticated websocket proxy to Proxmox's `vncwebsocket`. No tables: the
 * one-time session tokens and the open sessions live in this process only (the PVE ticket never
 * leaves it); every opening and closing is in the audit log.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { compileTrust } from '../../platform/http/proxy.ts';
import type { InstancesPort } from '../instances/index.ts';
import { ConsoleProxy } from './consoles.proxy.ts';
import { consolesRoutes } from './consoles.routes.ts';
import { ConsolesService, type ConsolesSettings } from './consoles.service.ts';

export { CLOSE as CONSOLE_CLOSE_CODES, CONSOLE_WS_PATH } from './consoles.proxy.ts';
export type { ConsoleType } from './consoles.schemas.ts';

export interface ConsolesExports {
  service: ConsolesService;
  proxy: ConsoleProxy;
  /** Tunables shared by reference (tests shorten or lengthen them). */
  settings: ConsolesSettings;
  /** Idle timeout and access re-check of the open sessions (also runs every `sweepMs`). */
  sweep(): Promise<void>;
}

export type ConsolesDeps = Pick<
  ModuleDeps,
  'config' | 'pve' | 'authenticator' | 'audit' | 'clock' | 'logger' | 'bus'
> & { instances: InstancesPort };

export interface ConsolesOptions {
  /** How often open sessions are re-checked (idle, logout, revoked access). Default 5 s. */
  sweepMs?: number;
}

export function createConsolesModule(
  options: ConsolesOptions = {},
): ServerModule<ConsolesDeps, ConsolesExports> {
  return {
    name: 'consoles',
    tags: [{ name: 'consoles', description: 'Browser consoles: VNC screens, terminals and serial ports' }],
    async register(app, deps) {
      const settings: ConsolesSettings = {
        connectTtlMs: 30_000,
        idleTimeoutMs: deps.config.consoleIdleTimeoutSeconds * 1000,
        allowedOrigins: deps.config.consoleOrigins,
        ticketReuseMs: 7_000,
      };
      const service = new ConsolesService({
        instances: deps.instances,
        proxmox: deps.pve,
        authenticator: deps.authenticator,
        clock: deps.clock,
        settings,
      });
      const proxy = new ConsoleProxy({
        service,
        proxmox: deps.pve,
        audit: deps.audit,
        clock: deps.clock,
        logger: deps.logger,
        trustProxy: compileTrust(deps.config.trustProxy),
      });
      await consolesRoutes(app, service);

      // the websocket upgrade bypasses Fastify's routing (like the /s3 raw mount bypasses it)
      const server = app.server;
      const onUpgrade = (
        req: Parameters<ConsoleProxy['handle']>[0],
        socket: Parameters<ConsoleProxy['handle']>[1],
        head: Buffer,
      ) => {
        if (proxy.handle(req, socket, head)) return;
        // nobody else takes upgrades: refuse instead of leaving the socket hanging
        if (server.listenerCount('upgrade') === 1) socket.destroy();
      };
      server.on('upgrade', onUpgrade);

      // a stopped or deleted instance ends its consoles at once
      const unsubscribe = deps.bus.subscribe((e) => {
        if (e.resource !== 'instance') return;
        if (e.type === 'instance.deleted') proxy.closeInstance(e.resourceId, 'instance_deleted');
        else {
          const status = (e.data as { status?: string } | null)?.status;
          // a shutdown stays visible on the console until the guest is off; a reboot keeps it
          if (status === 'terminating' || status === 'terminated')
            proxy.closeInstance(e.resourceId, 'instance_deleted');
          else if (status === 'stopped' || status === 'error')
            proxy.closeInstance(e.resourceId, 'instance_stopped');
        }
      });
      const sweep = () => proxy.sweep(settings.idleTimeoutMs);
      const timer = setInterval(() => {
        sweep().catch((err) => deps.logger.error({ err }, 'console sweep failed'));
      }, options.sweepMs ?? 5_000);
      timer.unref();
      app.addHook('onClose', async () => {
        clearInterval(timer);
        unsubscribe();
        server.off('upgrade', onUpgrade);
        proxy.closeAll('server_shutdown');
      });
      return { service, proxy, settings, sweep };
    },
  };
}

export const consolesModule = createConsolesModule();
