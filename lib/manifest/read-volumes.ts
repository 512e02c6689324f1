import { dns1123LabelErrors } from '../labels/label-syntax.js';
import type { JsonObject } from '../model/daemon-set.js';
import {
  duplicateValue,
  type FieldError,
  forbiddenValue,
  invalidValue,
  requiredValue,
  unsupportedValue,
} from './field-error.js';
import { readInteger, readList, readObject, readString } from './read-json.js';

/** Every volume source a v1 Volume may name; a volume names exactly one. */
export const VOLUME_SOURCES: readonly string[] = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

/** Kubernetes' `fileModeErrorMsg`. */
const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

/** `supportedHostPathTypes`, sorted as the API server lists them. */
const HOST_PATH_TYPES: readonly string[] = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

/**
 * Validates a pod spec's `volumes` (at `path`) as Kubernetes `ValidateVolumes` does for what a DaemonSet
 * manifest commonly holds: unique DNS-label names, exactly one volume source, file modes within 0–0777
 * (`defaultMode` and `items[].mode` of configMap, secret, downwardAPI and projected volumes), and a hostPath
 * with a path and a known `type`. Returns the volume names, for the containers' `volumeMounts`.
 */
export function readVolumes(value: unknown, path: string, errors: FieldError[]): ReadonlySet<string> {
  const names = new Set<string>();
  (readList(value, path, errors) ?? []).forEach((entry, index) => {
    const volumePath = `${path}[${index}]`;
    const volume = readObject(entry, volumePath, errors) ?? {};
    const name = readString(volume['name'], `${volumePath}.name`, errors) ?? '';
    if (name === '') errors.push(requiredValue(`${volumePath}.name`));
    else for (const message of dns1123LabelErrors(name)) errors.push(invalidValue(`${volumePath}.name`, name, message));
    if (name !== '' && names.has(name)) errors.push(duplicateValue(`${volumePath}.name`, name));
    names.add(name);
    readVolumeSource(volume, volumePath, errors);
  });
  return names;
}

function readVolumeSource(volume: JsonObject, path: string, errors: FieldError[]): void {
  const given = VOLUME_SOURCES.filter((source) => volume[source] !== undefined && volume[source] !== null);
  if (given.length === 0) errors.push(requiredValue(path, 'must specify a volume type'));
  for (const extra of given.slice(1)) {
    errors.push(forbiddenValue(`${path}.${extra}`, 'may not specify more than 1 volume type'));
  }
  const source = given[0];
  if (source === undefined) return;
  const sourcePath = `${path}.${source}`;
  const object = readObject(volume[source], sourcePath, errors) ?? {};
  if (source === 'hostPath') readHostPath(object, sourcePath, errors);
  if (source === 'configMap' || source === 'secret' || source === 'downwardAPI' || source === 'projected') {
    readFileMode(object['defaultMode'], `${sourcePath}.defaultMode`, errors);
  }
  if (source === 'configMap' || source === 'secret' || source === 'downwardAPI') {
    readItemModes(object['items'], `${sourcePath}.items`, errors);
  }
  if (source === 'projected') {
    (readList(object['sources'], `${sourcePath}.sources`, errors) ?? []).forEach((projection, index) => {
      const projectionPath = `${sourcePath}.sources[${index}]`;
      const projected = readObject(projection, projectionPath, errors) ?? {};
      for (const kind of ['configMap', 'secret', 'downwardAPI']) {
        const inner = readObject(projected[kind], `${projectionPath}.${kind}`, errors);
        if (inner !== undefined) readItemModes(inner['items'], `${projectionPath}.${kind}.items`, errors);
      }
    });
  }
}

function readHostPath(hostPath: JsonObject, path: string, errors: FieldError[]): void {
  if ((readString(hostPath['path'], `${path}.path`, errors) ?? '') === '') errors.push(requiredValue(`${path}.path`));
  const type = readString(hostPath['type'], `${path}.type`, errors);
  if (type !== undefined && !HOST_PATH_TYPES.includes(type)) {
    errors.push(unsupportedValue(`${path}.type`, type, HOST_PATH_TYPES));
  }
}

function readItemModes(value: unknown, path: string, errors: FieldError[]): void {
  (readList(value, path, errors) ?? []).forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    readFileMode(readObject(item, itemPath, errors)?.['mode'], `${itemPath}.mode`, errors);
  });
}

function readFileMode(value: unknown, path: string, errors: FieldError[]): void {
  const mode = readInteger(value, path, errors);
  if (mode !== undefined && (mode < 0 || mode > 0o777)) errors.push(invalidValue(path, mode, FILE_MODE));
}
