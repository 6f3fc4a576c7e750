'use strict';
/**
 * How a stack trace is written, in the kit's commands (typescript-hook.cjs) and in its specs
 * (test/setup.ts), as V8 writes one: the heading, then a line per frame.
 *
 * cdktf records a stack, with no limit on its depth, on a plain object for every token it makes (about
 * ten per helm_release), only to show where a token was made should resolving it fail. Writing out every
 * frame of each was about 40 ms of `synth --all` and nearly half of a synthesis inside jest. Such a stack
 * keeps its innermost PLAIN_OBJECT_FRAMES frames, which name the kit's line that made the resource; an
 * Error's trace keeps every frame.
 */
const PLAIN_OBJECT_FRAMES = 12;

/** An Error of any realm (jest runs specs in a context of their own, Node's errors come from outside it). */
function isError(value) {
  return Object.prototype.toString.call(value) === '[object Error]';
}

/**
 * The stack V8 would write for `error` and its call sites, with `frameOf` writing each of an Error's
 * frames (a plain object's are written as V8 writes them).
 */
function writtenStack(error, callSites, frameOf = String) {
  const frames = isError(error) ? callSites.map(frameOf) : callSites.slice(0, PLAIN_OBJECT_FRAMES).map(String);
  let heading;
  try {
    heading = Error.prototype.toString.call(error);
  } catch {
    heading = '<error>';
  }
  return [heading, ...frames.map((frame) => `    at ${frame}`)].join('\n');
}

module.exports = { PLAIN_OBJECT_FRAMES, writtenStack };
