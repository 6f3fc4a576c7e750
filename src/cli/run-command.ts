import { ConfigError } from '../../constructs/environment/config-error';
import { HarnessError } from '../products/harness-error';
import { EnvironmentNameError } from '../../constructs/environment/environment-name';
import { SynthesisLocked } from '../synth/synthesis-lock';
import { SynthesisRefused } from '../pipeline/synthesis-refused';
import { ChartSourceError } from '../upstream/chart-source';
import { RenderError } from '../upstream/render';
import { ToolError } from '../upstream/tools';

/** A failure the user can fix (bad arguments, a refused action): printed as a sentence, exit 1, no stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Runs a command body and turns failures into exit codes: user errors (configuration, arguments)
 * print only their message; anything else is a bug in the kit and keeps its stack trace.
 */
export async function runCommand(body: () => void | number | Promise<void | number>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`error: the environment configuration is invalid:\n${error.message}\n`);
      process.stderr.write('nothing was written.\n');
    } else if (error instanceof EnvironmentNameError) {
      process.stderr.write(`error: ${error.message}; nothing was written.\n`);
    } else if (error instanceof SynthesisRefused) {
      process.stderr.write(`error: synthesis refused:\n${error.message.replace(/^/gm, '  ')}\nnothing was written.\n`);
    } else if (error instanceof ChartSourceError || error instanceof ToolError || error instanceof RenderError) {
      // An upstream chart or the Helm binary could not be had: the message says which and what to do.
      process.stderr.write(`error: ${error.message}\nnothing was written.\n`);
    } else if (error instanceof UsageError || error instanceof SynthesisLocked || error instanceof HarnessError) {
      process.stderr.write(`error: ${error.message}\n`);
    } else {
      process.stderr.write(`internal error (please report it):\n${error instanceof Error ? error.stack : String(error)}\n`);
    }
    process.exitCode = 1;
  }
}
