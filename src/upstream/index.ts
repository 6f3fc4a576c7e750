export { kitCacheDir } from './cache-dir';
export { archiveDigest, CHART_SOURCE_SETTING, ChartSourceError, chartArchive, chartSourceFromSetting, describeChartSource, type ChartRef, type ChartSource } from './chart-source';
export { upstreamReleasesOf, type UpstreamRelease } from './releases';
export { RenderError, customApiVersions, installedBefore, parseRendered, renderEnvironmentReleases, renderReleases, type RenderOptions, type RenderedRelease } from './render';
export { ToolError, helmBinary, kubectlBinary, toolBinary, type Tool } from './tools';
