// The XML the simulator answers with, shaped like real vCloud Director answers (see the recorded
// responses in shared/fixtures/vcloud): same root elements, namespaces, attributes and link rels.
import { SimCatalog, SimNamed, SimTask, SimTemplate } from './model';

const VCLOUD_NS = 'http://www.vmware.com/vcloud/v1.5';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function errorXml(status: number, minorErrorCode: string, message: string): string {
  return `${XML_DECL}<Error xmlns="${VCLOUD_NS}" ${XSI} minorErrorCode="${esc(minorErrorCode)}" message="${esc(message)}" majorErrorCode="${status}"/>\n`;
}

export function versionsXml(base: string, versions: string[]): string {
  const infos = versions
    .map((v) => `  <VersionInfo deprecated="false">\n    <Version>${esc(v)}</Version>\n    <LoginUrl>${esc(base)}/api/sessions</LoginUrl>\n  </VersionInfo>`)
    .join('\n');
  return `${XML_DECL}<SupportedVersions xmlns="http://www.vmware.com/vcloud/versions" ${XSI}>\n${infos}\n</SupportedVersions>\n`;
}

export function sessionXml(base: string, user: string, org: SimNamed): string {
  return `${XML_DECL}<Session xmlns="${VCLOUD_NS}" user="${esc(user)}" org="${esc(org.name)}" ${XSI} type="application/vnd.vmware.vcloud.session+xml" href="${base}/api/session/">
  <Link rel="down" type="application/vnd.vmware.vcloud.orgList+xml" href="${base}/api/org/"/>
  <Link rel="down" type="application/vnd.vmware.vcloud.org+xml" name="${esc(org.name)}" href="${base}/api/org/${org.id}"/>
  <Link rel="down" type="application/vnd.vmware.vcloud.query.queryList+xml" href="${base}/api/query"/>
  <Link rel="entityResolver" type="application/vnd.vmware.vcloud.entity+xml" href="${base}/api/entity/"/>
</Session>\n`;
}

export function orgListXml(base: string, org: SimNamed): string {
  return `${XML_DECL}<OrgList xmlns="${VCLOUD_NS}" ${XSI} type="application/vnd.vmware.vcloud.orgList+xml" href="${base}/api/org/">
  <Org type="application/vnd.vmware.vcloud.org+xml" name="${esc(org.name)}" href="${base}/api/org/${org.id}"/>
</OrgList>\n`;
}

export function orgXml(base: string, org: SimNamed, vdcs: SimNamed[], catalogs: SimNamed[]): string {
  const links = [
    ...vdcs.map((v) => `  <Link rel="down" type="application/vnd.vmware.vcloud.vdc+xml" name="${esc(v.name)}" href="${base}/api/vdc/${v.id}"/>`),
    `  <Link rel="down" type="application/vnd.vmware.vcloud.tasksList+xml" href="${base}/api/tasksList/${org.id}"/>`,
    ...catalogs.map(
      (c) =>
        `  <Link rel="down" type="application/vnd.vmware.vcloud.catalog+xml" name="${esc(c.name)}" href="${base}/api/catalog/${c.id}"/>\n` +
        `  <Link rel="down" type="application/vnd.vmware.vcloud.controlAccess+xml" href="${base}/api/org/${org.id}/catalog/${c.id}/controlAccess/"/>`,
    ),
    `  <Link rel="add" type="application/vnd.vmware.admin.catalog+xml" href="${base}/api/admin/org/${org.id}/catalogs"/>`,
  ];
  return `${XML_DECL}<Org xmlns="${VCLOUD_NS}" name="${esc(org.name)}" id="urn:vcloud:org:${org.id}" type="application/vnd.vmware.vcloud.org+xml" href="${base}/api/org/${org.id}" ${XSI}>
${links.join('\n')}
  <Description/>
  <FullName>${esc(org.name)}</FullName>
</Org>\n`;
}

/** `withUploadLink`: VCD >= 5.5 catalogs take uploads directly (catalog/{id}/action/upload). */
export function catalogXml(base: string, org: SimNamed, catalog: SimCatalog, withUploadLink: boolean): string {
  const items = catalog.items.map((i) => `    <CatalogItem type="application/vnd.vmware.vcloud.catalogItem+xml" name="${esc(i.name)}" href="${base}/api/catalogItem/${i.id}"/>`);
  return `${XML_DECL}<Catalog xmlns="${VCLOUD_NS}" name="${esc(catalog.name)}" id="urn:vcloud:catalog:${catalog.id}" type="application/vnd.vmware.vcloud.catalog+xml" href="${base}/api/catalog/${catalog.id}" ${XSI}>
  <Link rel="up" type="application/vnd.vmware.vcloud.org+xml" href="${base}/api/org/${org.id}"/>
  <Link rel="down" type="application/vnd.vmware.vcloud.metadata+xml" href="${base}/api/catalog/${catalog.id}/metadata"/>
  <Link rel="add" type="application/vnd.vmware.vcloud.catalogItem+xml" href="${base}/api/catalog/${catalog.id}/catalogItems"/>
${withUploadLink ? `  <Link rel="add" type="application/vnd.vmware.vcloud.uploadVAppTemplateParams+xml" href="${base}/api/catalog/${catalog.id}/action/upload"/>\n` : ''}  <Description/>
  <CatalogItems${items.length ? `>\n${items.join('\n')}\n  </CatalogItems>` : '/>'}
  <IsPublished>false</IsPublished>
</Catalog>\n`;
}

export function vdcXml(base: string, org: SimNamed, vdc: SimNamed): string {
  return `${XML_DECL}<Vdc xmlns="${VCLOUD_NS}" status="1" name="${esc(vdc.name)}" id="urn:vcloud:vdc:${vdc.id}" type="application/vnd.vmware.vcloud.vdc+xml" href="${base}/api/vdc/${vdc.id}" ${XSI}>
  <Link rel="up" type="application/vnd.vmware.vcloud.org+xml" href="${base}/api/org/${org.id}"/>
  <Link rel="down" type="application/vnd.vmware.vcloud.metadata+xml" href="${base}/api/vdc/${vdc.id}/metadata"/>
  <Link rel="add" type="application/vnd.vmware.vcloud.uploadVAppTemplateParams+xml" href="${base}/api/vdc/${vdc.id}/action/uploadVAppTemplate"/>
  <Link rel="add" type="application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml" href="${base}/api/vdc/${vdc.id}/action/instantiateVAppTemplate"/>
  <Description/>
  <AllocationModel>AllocationVApp</AllocationModel>
  <Capabilities>
    <SupportedHardwareVersions>
      <SupportedHardwareVersion>vmx-13</SupportedHardwareVersion>
      <SupportedHardwareVersion>vmx-19</SupportedHardwareVersion>
    </SupportedHardwareVersions>
  </Capabilities>
  <IsEnabled>true</IsEnabled>
</Vdc>\n`;
}

export function catalogItemXml(base: string, catalogId: string, item: { id: string; name: string }, template: SimTemplate): string {
  return `${XML_DECL}<CatalogItem xmlns="${VCLOUD_NS}" ${XSI} name="${esc(item.name)}" id="urn:vcloud:catalogitem:${item.id}" type="application/vnd.vmware.vcloud.catalogItem+xml" href="${base}/api/catalogItem/${item.id}">
  <Link rel="up" type="application/vnd.vmware.vcloud.catalog+xml" href="${base}/api/catalog/${catalogId}"/>
  <Link rel="remove" href="${base}/api/catalogItem/${item.id}"/>
  <Description>${esc(template.description)}</Description>
  <Entity name="${esc(template.name)}" href="${base}/api/vAppTemplate/vappTemplate-${template.id}" type="application/vnd.vmware.vcloud.vAppTemplate+xml"/>
</CatalogItem>\n`;
}

export function taskXml(base: string, task: SimTask, template: SimTemplate, org: SimNamed, user: string, asRoot: boolean, indent = ''): string {
  const ns = asRoot ? ` xmlns="${VCLOUD_NS}" ${XSI}` : '';
  const running = task.status === 'running' || task.status === 'queued';
  const lines = [
    `<Task${ns} status="${task.status}" startTime="${task.startTime}" operationName="${task.operationName}" operation="${esc(task.operation)}" name="task" id="urn:vcloud:task:${task.id}" type="application/vnd.vmware.vcloud.task+xml" href="${base}/api/task/${task.id}">`,
    ...(running ? [`  <Link rel="task:cancel" href="${base}/api/task/${task.id}/action/cancel"/>`] : []),
    `  <Owner type="application/vnd.vmware.vcloud.vAppTemplate+xml" name="${esc(template.name)}" href="${base}/api/vAppTemplate/vappTemplate-${template.id}"/>`,
    ...(task.errorMessage ? [`  <Error xmlns="${VCLOUD_NS}" minorErrorCode="BAD_REQUEST" message="${esc(task.errorMessage)}" majorErrorCode="400"/>`] : []),
    `  <User type="application/vnd.vmware.admin.user+xml" name="${esc(user)}" href="${base}/api/admin/user/${org.id}"/>`,
    `  <Organization type="application/vnd.vmware.vcloud.org+xml" name="${esc(org.name)}" href="${base}/api/org/${org.id}"/>`,
    `  <Progress>${Math.floor(task.progress)}</Progress>`,
    `</Task>`,
  ];
  return lines.map((l) => indent + l).join('\n');
}

/** `transferBase`: where the upload links point (VCD can serve its transfer service from another host name). */
export function templateXml(base: string, t: SimTemplate, org: SimNamed, user: string, transferBase = base): string {
  const href = `${base}/api/vAppTemplate/vappTemplate-${t.id}`;
  const files = t.files
    .map((f) => {
      const link = f.name === 'descriptor.ovf' || t.linksReady ? `\n      <Link rel="upload:default" href="${transferBase}/transfer/${t.transferId}/${f.name.split('/').map(encodeURIComponent).join('/')}"/>\n    ` : '';
      return `    <File size="${f.size}" bytesTransferred="${Math.max(0, f.received)}" name="${esc(f.name)}">${link}</File>`;
    })
    .join('\n');
  const vms = t.vmNames.map((n, i) => `    <Vm name="${esc(n)}" id="urn:vcloud:vm:${t.id.slice(0, 24)}${String(i).padStart(12, '0')}" type="application/vnd.vmware.vcloud.vm+xml" status="${t.status === 8 ? 8 : 0}"/>`);
  return `${XML_DECL}<VAppTemplate xmlns="${VCLOUD_NS}" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" ovfDescriptorUploaded="${t.descriptorUploaded}" goldMaster="false" status="${t.status}" name="${esc(t.name)}" id="urn:vcloud:vapptemplate:${t.id}" type="application/vnd.vmware.vcloud.vAppTemplate+xml" href="${href}" ${XSI}>
  <Link rel="up" type="application/vnd.vmware.vcloud.vdc+xml" href="${base}/api/vdc/${t.vdcId}"/>
  <Link rel="remove" href="${href}"/>
  <Description>${esc(t.description)}</Description>
${t.task ? `  <Tasks>\n${taskXml(base, t.task, t, org, user, false, '    ')}\n  </Tasks>\n` : ''}${t.files.length ? `  <Files>\n${files}\n  </Files>\n` : ''}  <Owner type="application/vnd.vmware.vcloud.owner+xml">
    <User type="application/vnd.vmware.admin.user+xml" name="${esc(user)}" href="${base}/api/admin/user/${org.id}"/>
  </Owner>
  <Children${vms.length ? `>\n${vms.join('\n')}\n  </Children>` : '/>'}
  <LeaseSettingsSection type="application/vnd.vmware.vcloud.leaseSettingsSection+xml" href="${href}/leaseSettingsSection/" ovf:required="false">
    <ovf:Info>Lease settings section</ovf:Info>
    <StorageLeaseInSeconds>7776000</StorageLeaseInSeconds>
  </LeaseSettingsSection>
  <CustomizationSection type="application/vnd.vmware.vcloud.customizationSection+xml" href="${href}/customizationSection/" ovf:required="false">
    <ovf:Info>VApp template customization section</ovf:Info>
    <CustomizeOnInstantiate>false</CustomizeOnInstantiate>
  </CustomizationSection>
</VAppTemplate>\n`;
}
