/**
 * The fields of an apps/v1 DaemonSet, as far down as everynode checks them for unknown fields (kubectl's
 * default strict field validation). A shape is `ANY` (not checked below), a struct (its known fields), or a
 * one-element list (a list of that shape). Maps such as labels, and the deeper parts of a pod spec that
 * everynode does not read (security contexts, probe handlers, most volume sources), are `ANY`.
 */
export type FieldShape = 'any' | readonly [FieldShape] | Readonly<{ [field: string]: FieldShape }>;

export const ANY = 'any';

const listOf = (shape: FieldShape): readonly [FieldShape] => [shape];

const OBJECT_META: FieldShape = {
  name: ANY,
  generateName: ANY,
  namespace: ANY,
  selfLink: ANY,
  uid: ANY,
  resourceVersion: ANY,
  generation: ANY,
  creationTimestamp: ANY,
  deletionTimestamp: ANY,
  deletionGracePeriodSeconds: ANY,
  labels: ANY,
  annotations: ANY,
  ownerReferences: ANY,
  finalizers: ANY,
  managedFields: ANY,
};

const LABEL_SELECTOR: FieldShape = {
  matchLabels: ANY,
  matchExpressions: listOf({ key: ANY, operator: ANY, values: ANY }),
};

const NODE_SELECTOR_REQUIREMENT: FieldShape = { key: ANY, operator: ANY, values: ANY };

const AFFINITY: FieldShape = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: listOf({
        matchExpressions: listOf(NODE_SELECTOR_REQUIREMENT),
        matchFields: listOf(NODE_SELECTOR_REQUIREMENT),
      }),
    },
    preferredDuringSchedulingIgnoredDuringExecution: ANY,
  },
  podAffinity: ANY,
  podAntiAffinity: ANY,
};

const PROBE: FieldShape = {
  exec: ANY,
  httpGet: ANY,
  tcpSocket: ANY,
  grpc: ANY,
  initialDelaySeconds: ANY,
  timeoutSeconds: ANY,
  periodSeconds: ANY,
  successThreshold: ANY,
  failureThreshold: ANY,
  terminationGracePeriodSeconds: ANY,
};

const CONTAINER: FieldShape = {
  name: ANY,
  image: ANY,
  command: ANY,
  args: ANY,
  workingDir: ANY,
  ports: listOf({ name: ANY, hostPort: ANY, containerPort: ANY, protocol: ANY, hostIP: ANY }),
  envFrom: listOf({ prefix: ANY, configMapRef: ANY, secretRef: ANY }),
  env: listOf({
    name: ANY,
    value: ANY,
    valueFrom: { fieldRef: ANY, resourceFieldRef: ANY, configMapKeyRef: ANY, secretKeyRef: ANY, fileKeyRef: ANY },
  }),
  resources: { limits: ANY, requests: ANY, claims: ANY },
  resizePolicy: ANY,
  restartPolicy: ANY,
  restartPolicyRules: ANY,
  volumeMounts: listOf({
    name: ANY,
    readOnly: ANY,
    recursiveReadOnly: ANY,
    mountPath: ANY,
    subPath: ANY,
    mountPropagation: ANY,
    subPathExpr: ANY,
  }),
  volumeDevices: ANY,
  livenessProbe: PROBE,
  readinessProbe: PROBE,
  startupProbe: PROBE,
  lifecycle: { postStart: ANY, preStop: ANY, stopSignal: ANY },
  terminationMessagePath: ANY,
  terminationMessagePolicy: ANY,
  imagePullPolicy: ANY,
  securityContext: ANY,
  stdin: ANY,
  stdinOnce: ANY,
  tty: ANY,
};

const KEY_TO_PATH: FieldShape = { key: ANY, path: ANY, mode: ANY };

const VOLUME: FieldShape = {
  name: ANY,
  hostPath: { path: ANY, type: ANY },
  emptyDir: { medium: ANY, sizeLimit: ANY },
  configMap: { name: ANY, items: listOf(KEY_TO_PATH), defaultMode: ANY, optional: ANY },
  secret: { secretName: ANY, items: listOf(KEY_TO_PATH), defaultMode: ANY, optional: ANY },
  gcePersistentDisk: ANY,
  awsElasticBlockStore: ANY,
  gitRepo: ANY,
  nfs: ANY,
  iscsi: ANY,
  glusterfs: ANY,
  persistentVolumeClaim: ANY,
  rbd: ANY,
  flexVolume: ANY,
  cinder: ANY,
  cephfs: ANY,
  flocker: ANY,
  downwardAPI: ANY,
  fc: ANY,
  azureFile: ANY,
  vsphereVolume: ANY,
  quobyte: ANY,
  azureDisk: ANY,
  photonPersistentDisk: ANY,
  projected: ANY,
  portworxVolume: ANY,
  scaleIO: ANY,
  storageos: ANY,
  csi: ANY,
  ephemeral: ANY,
  image: ANY,
};

const POD_SPEC: FieldShape = {
  volumes: listOf(VOLUME),
  initContainers: listOf(CONTAINER),
  containers: listOf(CONTAINER),
  ephemeralContainers: ANY,
  restartPolicy: ANY,
  terminationGracePeriodSeconds: ANY,
  activeDeadlineSeconds: ANY,
  dnsPolicy: ANY,
  nodeSelector: ANY,
  serviceAccountName: ANY,
  serviceAccount: ANY,
  automountServiceAccountToken: ANY,
  nodeName: ANY,
  hostNetwork: ANY,
  hostPID: ANY,
  hostIPC: ANY,
  shareProcessNamespace: ANY,
  securityContext: ANY,
  imagePullSecrets: ANY,
  hostname: ANY,
  hostnameOverride: ANY,
  subdomain: ANY,
  affinity: AFFINITY,
  schedulerName: ANY,
  tolerations: listOf({ key: ANY, operator: ANY, value: ANY, effect: ANY, tolerationSeconds: ANY }),
  hostAliases: ANY,
  priorityClassName: ANY,
  priority: ANY,
  dnsConfig: ANY,
  readinessGates: ANY,
  runtimeClassName: ANY,
  enableServiceLinks: ANY,
  preemptionPolicy: ANY,
  overhead: ANY,
  topologySpreadConstraints: ANY,
  setHostnameAsFQDN: ANY,
  os: ANY,
  hostUsers: ANY,
  schedulingGates: ANY,
  resourceClaims: ANY,
  resources: ANY,
};

const ROLLING_UPDATE: FieldShape = { maxUnavailable: ANY, maxSurge: ANY };

/** An apps/v1 DaemonSet. */
export const DAEMON_SET_SHAPE: FieldShape = {
  apiVersion: ANY,
  kind: ANY,
  metadata: OBJECT_META,
  spec: {
    selector: LABEL_SELECTOR,
    template: { metadata: OBJECT_META, spec: POD_SPEC },
    updateStrategy: { type: ANY, rollingUpdate: ROLLING_UPDATE },
    minReadySeconds: ANY,
    revisionHistoryLimit: ANY,
  },
  status: ANY,
};

/** An OpenKruise Advanced DaemonSet: the apps/v1 fields plus its own rollout fields. */
export const KRUISE_DAEMON_SET_SHAPE: FieldShape = {
  apiVersion: ANY,
  kind: ANY,
  metadata: OBJECT_META,
  spec: {
    selector: LABEL_SELECTOR,
    template: { metadata: OBJECT_META, spec: POD_SPEC },
    updateStrategy: {
      type: ANY,
      rollingUpdate: {
        ...ROLLING_UPDATE,
        type: ANY,
        rollingUpdateType: ANY,
        partition: ANY,
        selector: ANY,
        paused: ANY,
      },
    },
    minReadySeconds: ANY,
    burstReplicas: ANY,
    revisionHistoryLimit: ANY,
    lifecycle: ANY,
  },
  status: ANY,
};
