import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ReconcilerStack, type ReconcilerStackProps } from '../../infra/reconciler-stack.js';

const CDK_JSON = new URL('../../cdk.json', import.meta.url);

/** cdk.json's context (feature flags), so tests build the stack exactly as `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(CDK_JSON, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('context' in parsed))
    throw new Error('cdk.json has no context');
  return parsed.context as Record<string, unknown>;
}

/**
 * The time a hook that synthesizes may take: seconds on an idle machine, a minute or more on a loaded
 * 2-core CI runner shared with other jobs.
 */
export const SYNTH_TIMEOUT = 300_000;

export type BuiltStack = Readonly<{ app: App; stack: ReconcilerStack; template: Template }>;

export type BuildOptions = Readonly<{
  /** Bundle the functions for real (esbuild); only the bundle test needs it. @default false */
  bundle?: boolean;
  /** A stack of its own, for a test that adds to it; otherwise one build per props is shared. @default false */
  fresh?: boolean;
}>;

/**
 * Built stacks by props and options: synthesizing the whole stack takes seconds on an idle machine and far
 * longer on a loaded one, so each test file builds each variant once and its tests share it.
 */
const built = new Map<string, BuiltStack>();

/**
 * The stack, built in an app with cdk.json's context, once per test file and props (see `built`); pass
 * `fresh` to change it. Bundling is skipped unless asked for: one test bundles for real, the rest only
 * need the template. Tests call it from `beforeAll` (or at collection), never from inside a test body, so
 * no test's own timeout covers a synth.
 */
export function buildStack(props: ReconcilerStackProps = {}, options: BuildOptions = {}): BuiltStack {
  const cacheKey = JSON.stringify([props, options.bundle === true]);
  const cached = options.fresh === true ? undefined : built.get(cacheKey);
  if (cached !== undefined) return cached;
  const fresh = synthesize(props, options.bundle === true);
  if (options.fresh !== true) built.set(cacheKey, fresh);
  return fresh;
}

function synthesize(props: ReconcilerStackProps, bundle: boolean): BuiltStack {
  const context: Record<string, unknown> = { ...cdkJsonContext() };
  if (!bundle) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context });
  const stack = new ReconcilerStack(app, 'Everynode', props);
  return { app, stack, template: Template.fromStack(stack) };
}

/** A template's resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export type Resource = Readonly<{
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}>;

/**
 * everynode's own functions (HandlerFunction, each described `everynode ...`) by logical id: not the functions CDK
 * adds for its own custom resources (the IoT endpoint lookup).
 */
export function everynodeFunctionsOf(template: Template): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(([, fn]) =>
      String(fn.Properties['Description'] ?? '').startsWith('everynode '),
    ),
  );
}

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

/** The properties of the only resource of `type` whose logical id starts with `prefix`. */
export function propertiesOf(template: Template, type: string, prefix: string): Record<string, unknown> {
  const resource = resourcesOf(template, type)[logicalIdOf(template, type, prefix)];
  if (resource === undefined) throw new Error(`no ${type} starting with ${prefix}`);
  return resource.Properties;
}
