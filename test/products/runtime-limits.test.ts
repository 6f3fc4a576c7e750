import { jvmContainerLimits } from '../../src/products/distributions/java-runtime';
import { nodeContainerLimits } from '../../src/products/distributions/node-runtime';

/** A JVM in a pod sizes its heap and threads from the container's cgroup; under the harness it is told them. */
describe('a Java product under the harness sees its container\'s limits', () => {
  it('gives the memory limit as MaxRAM in bytes and the CPU limit as a whole processor count', () => {
    expect(jvmContainerLimits({ memory: '1536Mi', cpu: '1500m' })).toEqual({ JDK_JAVA_OPTIONS: '-XX:MaxRAM=1610612736 -XX:ActiveProcessorCount=2' });
    expect(jvmContainerLimits({ memory: '1G' })).toEqual({ JDK_JAVA_OPTIONS: '-XX:MaxRAM=1000000000' });
    expect(jvmContainerLimits({ cpu: '250m' })).toEqual({ JDK_JAVA_OPTIONS: '-XX:ActiveProcessorCount=1' });
  });

  it('adds nothing to a container without limits', () => {
    expect(jvmContainerLimits({})).toEqual({});
  });
});

describe('a Node.js product under the harness gets the heap its container\'s limit gives it', () => {
  it('limits the heap to half the memory limit, as V8 sizes it from a pod\'s cgroup', () => {
    expect(nodeContainerLimits({ memory: '1Gi', cpu: '1' })).toEqual({ NODE_OPTIONS: '--max-heap-size=512' });
    expect(nodeContainerLimits({ cpu: '1' })).toEqual({});
  });
});
