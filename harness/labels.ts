/** Label on everything mountdrill creates, so `mountdrill clean` can find it. */
export const managedLabel = 'dev.mountdrill.managed';
/** Label naming the run that created a container, network or volume. */
export const runLabel = 'dev.mountdrill.run';
/** Label naming the drill inside the run. */
export const drillLabel = 'dev.mountdrill.drill';
/** Label on the base image recording the hash of its recipe. */
export const recipeLabel = 'dev.mountdrill.recipe';

export function labelsForRun(runId: string, drill?: string): Record<string, string> {
  const labels: Record<string, string> = { [managedLabel]: 'true', [runLabel]: runId };
  if (drill) {
    labels[drillLabel] = drill;
  }
  return labels;
}
