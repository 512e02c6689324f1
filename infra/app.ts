import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackProps } from './read-stack-props.js';
import { ReconcilerStack } from './reconciler-stack.js';

const app = new App();
// Synth fails on any AwsSolutions finding that is not acknowledged on the construct it concerns.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new ReconcilerStack(app, 'Everynode', readStackProps(app.node));
app.synth();
