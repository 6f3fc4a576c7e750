import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AssetType, TerraformAsset, TerraformStack, Testing } from 'cdktf';
import { directoryHash, KitChartAsset, type ChartFile } from '../../stacks/kit-chart-asset';

/** A chart's files, with names whose byte order differs from their order as whole paths ('-' < '/' < 'a'). */
const FILES: readonly ChartFile[] = [
  { path: 'templates/b.yaml', text: 'kind: ConfigMap\n' },
  { path: 'Chart.yaml', text: 'apiVersion: v2\nname: x\n' },
  { path: 'templates-extra/a.yaml', text: 'kind: Secret\n' },
  { path: 'templates/a.yaml', text: 'kind: Service\n' },
  { path: 'templates/a-b.yaml', text: 'kind: Pod\n' },
];

function onDisk(files: readonly ChartFile[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'govstack-chart-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.text);
  }
  return dir;
}

describe('a chart of ours in its stack\'s Terraform folder (KitChartAsset)', () => {
  it('has the folder and hash cdktf\'s TerraformAsset gives the same files, so Terraform sees the same chart path', () => {
    const stack = new TerraformStack(Testing.app(), 'sandbox-platform');
    const ours = new KitChartAsset(stack, 'chart-storage', FILES);
    const cdktfs = new TerraformAsset(new TerraformStack(Testing.app(), 'sandbox-platform'), 'chart-storage', { path: onDisk(FILES), type: AssetType.DIRECTORY });
    expect(directoryHash(FILES)).toBe(cdktfs.assetHash);
    expect(ours.path).toBe(cdktfs.path.replace(/\/$/, ''));
  });

  it('writes its files once cdktf has made the stack\'s folder, under the path its helm_release names', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'govstack-cdktf-out-'));
    const stack = new TerraformStack(Testing.app(), 'sandbox-platform');
    const asset = new KitChartAsset(stack, 'chart-storage', FILES);
    asset.writeInto(outdir);
    const folder = path.join(outdir, 'stacks', 'sandbox-platform', asset.path);
    expect(readdirSync(folder).sort()).toEqual(['Chart.yaml', 'templates', 'templates-extra']);
    for (const file of FILES) expect(readFileSync(path.join(folder, file.path), 'utf8')).toBe(file.text);
  });
});
