{{/* The chart's name: app.kubernetes.io/name of every object, as in deploy/operator.yml. */}}
{{- define "texera-gateway-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name of every object. A release named like the chart (the documented `helm install texera-gateway-operator`)
gives exactly the names of deploy/operator.yml. ClusterRole and ClusterRoleBinding are cluster-wide, so two releases
need two different names: the release name is part of it unless it already contains the chart's name.
*/}}
{{- define "texera-gateway-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "texera-gateway-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "texera-gateway-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "texera-gateway-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "texera-gateway-operator.labels" -}}
helm.sh/chart: {{ include "texera-gateway-operator.chart" . }}
{{ include "texera-gateway-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "texera-gateway-operator.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion }}
{{- if .Values.image.registry }}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* A watched-namespace list as QOSDK reads it: comma-separated, or JOSDK_ALL_NAMESPACES when empty. */}}
{{- define "texera-gateway-operator.watchNamespaces" -}}
{{- if . }}
{{- join "," . }}
{{- else }}
{{- "JOSDK_ALL_NAMESPACES" }}
{{- end }}
{{- end }}

{{/*
Environment beyond the watched namespaces: log levels, the profile without leader election, and the user's own.
QOSDK activates leader election for the `prod` profile only (quarkus.operator-sdk.activate-leader-election-for-profiles,
fixed at build time), so another runtime profile is the one switch that turns it off.
*/}}
{{- define "texera-gateway-operator.extraEnv" -}}
{{- with .Values.log.level }}
- name: QUARKUS_LOG_LEVEL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.log.operatorLevel }}
- name: QUARKUS_LOG_CATEGORY__ORG_APACHE_TEXERA__LEVEL
  value: {{ . | quote }}
{{- end }}
{{- if not .Values.leaderElection.enabled }}
- name: QUARKUS_PROFILE
  value: no-leader-election
{{- end }}
{{- with .Values.env }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Value combinations that would install something broken. */}}
{{- define "texera-gateway-operator.validateValues" -}}
{{- if and (not .Values.leaderElection.enabled) (gt (int .Values.replicas) 1) }}
{{- fail "leaderElection.enabled=false needs replicas: 1; two replicas without a leader would both reconcile" }}
{{- end }}
{{- end }}

{{/*
The operator's own settings that chart values carry: the pool namespaces units are routed in
(texera.operator.pool-namespaces, from watchNamespaces.computingUnits; none means every namespace, and pods are
watched cluster-wide either way) and whether it may create cluster-scoped objects.
*/}}
{{- define "texera-gateway-operator.settingsEnv" -}}
{{- with .Values.watchNamespaces.computingUnits }}
- name: TEXERA_OPERATOR_POOL_NAMESPACES
  value: {{ join "," . | quote }}
{{- end }}
{{- if .Values.allowClusterScopedWrites }}
- name: TEXERA_OPERATOR_ALLOW_CLUSTER_SCOPED_WRITES
  value: "true"
{{- end }}
{{- end }}

{{/*
The operator pod's affinity: .Values.affinity when set, else the replicas preferring different nodes (the same
anti-affinity as deploy/operator.yml, on this release's selector labels). Preferred, so one node still runs both.
*/}}
{{- define "texera-gateway-operator.affinity" -}}
{{- if .Values.affinity }}
{{- toYaml .Values.affinity }}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "texera-gateway-operator.selectorLabels" . | nindent 12 }}
{{- end }}
{{- end }}
