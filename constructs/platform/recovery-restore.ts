import { Construct } from 'constructs';
import type { Environment } from '../environment/schema';
import { resolveImage } from '../images';
import { AllowTraffic, addresses, podsIn } from '../baseline/allow-traffic';
import { objectStoreLocation, objectStorePort } from '../data/object-store';
import { VolumeRestore } from './backups';
import { OPENBAO, openBaoAddress } from './openbao';
import { OpenBaoSnapshotRestore, SNAPSHOT_RESTORE_PODS } from './openbao-snapshots';
import { PINNED_CHARTS } from './pinned-charts';

export interface RecoveryRestoreProps {
  readonly env: Pick<Environment, 'name' | 'platform' | 'recovery' | 'registry'>;
}

/**
 * What a recovery (`npm run restore`) brings back into the clean cluster once every platform
 * service stands: Velero's Restore of objects and volumes and, with OpenBao unsealing itself,
 * OpenBao's entries from its newest Raft snapshot at or before the recovery point. With manual
 * unsealing the snapshot is restored by the key holders (README, "OpenBao").
 */
export class RecoveryRestore extends Construct {
  constructor(scope: Construct, id: string, props: RecoveryRestoreProps) {
    super(scope, id);
    const { env } = props;
    const recovery = env.recovery;
    if (!recovery) throw new Error(`environment ${env.name} is not a recovery: nothing to restore`);
    new VolumeRestore(this, 'Volumes', { recovery });

    if (env.platform.secretStore !== 'openbao' || env.platform.openbao.unseal?.mode !== 'transit') return;
    new OpenBaoSnapshotRestore(this, 'OpenBao', {
      env,
      recovery,
      namespace: OPENBAO.namespace,
      image: resolveImage(env, PINNED_CHARTS.openbao.images.snapshotAgent),
      address: openBaoAddress(),
      tlsSecret: OPENBAO.tlsSecret,
    });
    new AllowTraffic(this, 'OpenBaoRestore', {
      namespace: OPENBAO.namespace,
      pods: SNAPSHOT_RESTORE_PODS,
      egress: [
        { peers: [podsIn(OPENBAO.namespace, OPENBAO.podLabels)], ports: [OPENBAO.port] },
        { peers: (env.platform.backups.target?.cidrs ?? []).map(addresses), ports: [objectStorePort(objectStoreLocation(env))] },
      ],
    });
  }
}
