import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real small disk: an 8 MiB tmpfs (mounting needs root, as in CI). Filled, it makes SQLite
 * fail with SQLITE_FULL exactly as a full SD card does. Null where tmpfs cannot be mounted.
 */
export class SmallDisk {
  private constructor(readonly dir: string) {}

  static mount(): SmallDisk | null {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
      return new SmallDisk(dir);
    } catch {
      rmdirSync(dir);
      return null;
    }
  }

  /** Takes every free byte, as `dd if=/dev/zero of=fill` does. */
  fill(): void {
    const fd = openSync(this.filler, 'a');
    const chunk = Buffer.alloc(64 * 1024);
    try {
      for (let size = chunk.length; size > 0; ) {
        try {
          writeSync(fd, chunk, 0, size);
        } catch (error) {
          if ((error as { code?: string }).code !== 'ENOSPC') throw error;
          size >>= 1;
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  free(): void {
    rmSync(this.filler, { force: true });
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.dir], { stdio: 'ignore' });
    rmdirSync(this.dir);
  }

  private get filler(): string {
    return join(this.dir, 'fill');
  }
}
