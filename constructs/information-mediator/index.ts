export * from './contract';
export * from './sidecar-image';
export * from './service-catalogue';
export * from './information-mediator';
export { EServicesNamespace, type EServicesNamespaceProps } from './e-services-namespace';
export { SecurityServer, type SecurityServerProps } from './security-server';
export { ServiceRegistration, registrationInput, type RegistrationInput, type RegistrationInitialisation } from './service-registration';
export { DevelopmentCentralServer, developmentCentralServerImage, CENTRAL_SERVER_NAME, DEVELOPMENT_CENTRAL_SERVER_CONFIRMATION } from './development-central-server';
export { GeneratedSshKey } from './generated-ssh-key';
