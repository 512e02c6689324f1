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

export type BuiltStack = Readonly<{ app: App; stack: ReconcilerStack; template: Template }>;

/**
 * Builds the stack in a fresh app with cdk.json's context. Bundling is skipped unless asked for: one
 * test bundles for real, the rest only need the template.
 */
export function buildStack(props: ReconcilerStackProps = {}, options: Readonly<{ bundle?: boolean }> = {}): BuiltStack {
  const context: Record<string, unknown> = { ...cdkJsonContext() };
  if (options.bundle !== true) context['aws:cdk:bundling-stacks'] = [];
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
